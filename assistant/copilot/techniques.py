"""The vocabulary of therapeutic techniques, and whether a sentence reports one delivered this session.

Shared by the interventions detector, the response detector (a technique line is not a
response), the symptom and impairment detectors (a technique line describes the clinician's
work, not the client's current state) and the suggestion grounding check.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.copilot.findings import positive_matches, rx
from assistant.copilot.segments import Segment

TECHNIQUE = rx(
    r"cognitive\s+(?:restructuring|reframing|behavioral\s+therapy|processing\s+therapy|defusion|techniques?|challeng\w*)",
    r"CBT(?:-I|-E)?", r"TF-CBT", r"thought\s+records?", r"socratic\s+\w+", r"reframing", r"reframed",
    r"(?:prolonged|imaginal|in[- ]vivo|interoceptive|graded)\s+exposure", r"exposure(?:\s+\w+)?", r"ERP",
    r"exposure\s+and\s+response\s+prevention", r"hierarchy", r"behavio(?:u)?ral\s+activation", r"activity\s+scheduling",
    r"DBT", r"distress[- ]tolerance", r"emotion(?:al)?\s+regulation", r"chain\s+analysis", r"TIPP", r"DEAR\s*MAN",
    r"mindfulness", r"grounding", r"(?:diaphragmatic|paced|box)\s+breathing", r"breathing\s+(?:exercises?|skills?|techniques?)",
    r"progressive\s+muscle\s+relaxation", r"PMR", r"relaxation\s+\w+", r"motivational\s+interviewing", r"MI",
    r"reflective\s+listening", r"(?:complex\s+)?reflections", r"decisional\s+balance", r"change\s+talk",
    r"psychoeducation\w*", r"educat\w+\s+(?:on|about)", r"problem[- ]solving", r"role[- ]?play\w*",
    r"assertive\w*\s+(?:training|skills|communication)", r"communication\s+skills?", r"EMDR", r"ACT",
    r"acceptance\s+and\s+commitment", r"values\s+(?:clarification|work)", r"defusion", r"IPT", r"interpersonal\s+therapy",
    r"schema\s+\w+", r"narrative\s+\w+", r"solution[- ]focused", r"parent\w*\s+(?:training|coaching|management)",
    r"PCIT", r"play\s+therapy", r"sand\s*tray", r"safety\s+planning", r"relapse\s+prevention", r"sleep\s+hygiene",
    r"stimulus\s+control", r"sleep\s+restriction", r"coping\s+skills?", r"coping\s+(?:plan|cards?|statements?)",
    r"behavio(?:u)?ral\s+(?:rehearsal|experiment\w*|plan|chart|contract)", r"worry\s+(?:time|postponement)",
    r"structured\s+(?:diagnostic\s+)?interview", r"mental\s+status\s+exam\w*(?!\s*:)", r"MSE(?!\s+by\s+\w+\s*:|\s*:)", r"administered",
    r"screening", r"trauma\s+narrative", r"written\s+exposure", r"WET", r"CPT\s+worksheet\w*", r"stuck\s+points?",
    r"validation", r"validated", r"urge\s+surfing", r"harm\s+reduction", r"contingency\s+management",
    r"token\s+economy", r"modeling", r"homework\s+review", r"reviewed\s+(?:the\s+)?homework", r"journal\w*",
    r"gratitude", r"self-compassion", r"pleasant\s+activit\w*", r"skills?\s+(?:training|practice|coaching)",
    r"FBT", r"family-based\s+treatment", r"externaliz\w*", r"taught\s+\w+", r"teaching", r"coached", r"coaching",
    r"Coping\s+Cat", r"relapse[- ]prevention", r"wellness\s+plan", r"exposure\w*", r"CBT-?\w*",
    r"family\s+systems", r"structural\s+family", r"genogram", r"de-escalat\w*", r"crisis\s+intervention",
    r"means\s+restriction", r"lethal\s+means", r"collateral(?!\s+(?:history|information|report))", r"feedback",
    r"shaping", r"stimulus\s+fading",
)
SUPPORTIVE = rx(r"supportive\s+(?:therapy|counseling|counselling|listening|psychotherapy)", r"processed\s+(?:her\s+|his\s+|their\s+)?feelings",
                r"provided\s+support", r"active\s+listening", r"empathic\s+listening", r"talk\s+therapy")

# a technique mentioned as a future step, a recommendation, or the client's own practice between sessions
_NOT_DELIVERED = re.compile(
    r"\b(?:agreed\s+to|will|would|plans?\s+to|to\s+(?:begin|start|try|continue)|recommend\w*|referr?\w*|expected|"
    r"reported\s+using|continued|next)\b[^.;:]{0,40}$",
    re.IGNORECASE,
)
_CLINICIAN_ACTION = re.compile(
    r"^\W*(?:(?:interventions?|techniques?)\b[^:]{0,30}:|(?:used|reviewed|worked|taught|coached|introduced|provided|explored|"
    r"facilitated|administered|conducted|modeled|practiced|(?:brief\s+)?review|session\s+focused|focused|clinician|therapist)\b)",
    re.IGNORECASE,
)


def delivered_techniques(text: str) -> tuple[re.Match[str], ...]:
    """Technique mentions that report work done, not negated, planned or recommended."""
    return _delivered(text)


@lru_cache(maxsize=65536)
def _delivered(text: str) -> tuple[re.Match[str], ...]:
    return tuple(m for m in positive_matches(TECHNIQUE, text) if not _NOT_DELIVERED.search(text[:m.start()]))


def is_intervention_statement(seg: Segment) -> bool:
    """A sentence that reports the clinician's work ("Used CBT …", "Interventions: …", "Behavioral activation: …").

    Symptoms or life areas named there are the topic of the intervention, not the client's
    current status.
    """
    return _is_intervention(seg.text)


@lru_cache(maxsize=65536)
def _is_intervention(text: str) -> bool:
    if _CLINICIAN_ACTION.search(text):
        return True
    first = TECHNIQUE.search(text)
    return first is not None and first.start() <= 2
