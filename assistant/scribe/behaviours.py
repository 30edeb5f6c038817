"""Motivational-interviewing therapist behaviours of one utterance: reflection, question, input, other.

A deterministic tagger for the three behaviours coded in MI research (and in AnnoMI's
``main_therapist_behaviour``), used to describe the interventions of a session:

* **question** — asks something: ends in "?", opens with an interrogative ("what", "how",
  "do you", "would you") or invites talk ("tell me…", "I'm wondering…").
* **reflection** — says back what the client said or meant, without asking: "it sounds
  like…", "so you…", "you feel…", "you're…", restatements about the client.
* **input** — the therapist's own contribution: information, advice, suggestions, options,
  feedback, psychoeducation ("you might…", "some people find…", "research shows…",
  "I'd suggest…", "I recommend…", "what I can tell you…").
* **other** — backchannels, greetings, thanks, affirmations and fragments.

The rules are general (cue phrases, sentence mood, grammatical person), calibrated on
AnnoMI without using its transcripts' content, so they carry over to other sessions.
"""

from __future__ import annotations

import re
from typing import Literal

Behaviour = Literal["reflection", "question", "input", "other"]

_FILLER = re.compile(
    r"^(?:[-–—…\s]+|(?:okay|ok|oh|yeah|yes|yep|mm+-?hmm+|m+h?m+|uh-huh|hmm+|h?m+|uh|um|er|ah|right|all\s+right|alright|"
    r"well|so|and|but|now|good|great|sure|cool|fine|wow|gotcha|i\s+see|got\s+it|that's\s+(?:great|good|fine|okay|right|true)|"
    r"excellent|fantastic|perfect|absolutely|exactly|true|no|nice)\b[\s,.!;:…-]*)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_INTERROGATIVE = re.compile(
    r"^(?:what|what's|how|how's|why|when|where|which|who|whose|whom|is|are|am|was|were|do|does|did|have|has|had|"
    r"can|could|would|will|shall|should|may|might|any|anything|tell\s+me|i'm\s+(?:wondering|curious)|i\s+(?:wonder|was\s+wondering)|"
    r"i'd\s+(?:like|love)\s+to\s+(?:hear|know)|i'm\s+interested\s+in|(?:can|could|would)\s+you\s+(?:tell|say|describe|share|help)|"
    r"let's\s+(?:talk|hear)|talk\s+(?:to\s+me|me\s+through)|say\s+more|help\s+me\s+understand|describe|walk\s+me)\b",
    re.IGNORECASE,
)
_INVITE = re.compile(
    r"\b(?:tell\s+me|i'm\s+(?:wondering|curious)|i\s+(?:wonder|was\s+wondering)|help\s+me\s+understand|say\s+(?:a\s+(?:bit|little)\s+)?more|"
    r"talk\s+(?:to\s+me\s+)?(?:a\s+(?:bit|little)\s+)?(?:more\s+)?about|if\s+you\s+can\s+tell|on\s+a\s+scale\s+of)\b",
    re.IGNORECASE,
)
_REFLECT = re.compile(
    r"^(?:it\s+sounds|sounds\s+(?:like|as\s+(?:if|though))|it\s+seems|seems\s+like|so\s+(?:you|your|it|for\s+you|that|this|there)|"
    r"you(?:'re|\s+are|'ve|\s+have|\s+feel|\s+felt|\s+think|\s+want|\s+wanna|\s+don't|\s+didn't|\s+can't|\s+were|\s+was|\s+know|"
    r"\s+see|\s+like|\s+love|\s+really|\s+just|\s+also|\s+still|\s+kind\s+of|\s+sort\s+of|\s+mentioned|\s+said|\s+noticed|'d\s+like|"
    r"'ll|\s+say|\s+get|\s+got|\s+enjoy|\s+worry|\s+wish|\s+hope|\s+need|\s+care|\s+value|\s+find|\s+would)|"
    r"your\s+\w+|what\s+i'm\s+hearing|i\s+(?:hear|heard)\s+you|i'm\s+hearing|on\s+(?:the\s+)?one\s+hand|on\s+the\s+other\s+hand|"
    r"part\s+of\s+you|that\s+(?:must|sounds)|that's\s+(?:a\s+)?(?:really\s+)?(?:hard|difficult|tough|important\s+to\s+you)|"
    r"kind\s+of\s+like|sort\s+of\s+like|like\s+you|almost\s+like|a\s+lot\s+of|lots\s+of|not\s+(?:really|sure|quite)|"
    r"(?:and|but)\s+(?:you|your|that|it)|because\s+you|even\s+though|at\s+the\s+same\s+time|for\s+you)\b",
    re.IGNORECASE,
)
_INPUT = re.compile(
    r"\b(?:you\s+(?:might|could|may)\s+(?:want|try|consider|find|like|think\s+about)|you\s+(?:should|need\s+to|have\s+to|must|ought\s+to)|"
    r"some\s+(?:people|folks|patients|clients)|other\s+(?:people|folks|patients|clients)|a\s+lot\s+of\s+(?:people|folks|patients)|"
    r"many\s+(?:people|folks|patients)|most\s+(?:people|folks)|people\s+(?:who|often|usually|tend)|research|studies|evidence|"
    r"recommend\w*|guideline\w*|i'd\s+(?:suggest|recommend|encourage|advise)|i\s+(?:suggest|recommend|would\s+suggest|would\s+recommend|"
    r"encourage|advise|would\s+encourage|want\s+to\s+(?:share|give|tell|mention|let\s+you\s+know)|can\s+(?:give|offer|send|email|refer|help|tell|share|prescribe|set)|"
    r"could\s+(?:give|offer|send|refer|share)|have\s+(?:some|a)\s+(?:information|handout|brochure|leaflet|pamphlet)|'ll\s+(?:give|send|refer|get|write|see)|"
    r"will\s+(?:give|send|refer)|noticed|see\s+(?:here|from|that\s+you)|am\s+(?:worried|concerned)|'m\s+(?:worried|concerned))|"
    r"what\s+i\s+can\s+tell\s+you|let\s+me\s+(?:tell|explain|give|share|show)|i'd\s+like\s+to\s+(?:share|give|tell|explain|suggest)|"
    r"one\s+(?:of\s+the\s+)?(?:thing|option|way|idea)s?|(?:an|another|the)\s+option|options?\s+(?:are|is|would\s+be|include)|"
    r"(?:we|you)\s+(?:can|could)\s+(?:try|start|work|look|talk\s+about|set|make|plan|schedule|meet|do)|how\s+about\s+we|let's\s+(?:try|plan|start|set|make|schedule|meet)|"
    r"it's\s+(?:important|recommended|best|safe|not\s+safe|dangerous|harmful|common|normal|helpful)|it\s+(?:can|could|may|might)\s+(?:help|cause|lead|increase|reduce|make|affect|damage|be\s+(?:helpful|harmful|dangerous))|"
    r"can\s+(?:cause|lead\s+to|increase|reduce|damage|raise|lower)|(?:associated|linked)\s+with|risk\s+of|side\s+effects?|"
    r"(?:safe|recommended|healthy)\s+(?:limit|amount|level)s?|limit\s+(?:is|for)|per\s+(?:day|week)|a\s+(?:day|week)\s+(?:for|is)|"
    r"the\s+(?:doctor|law|court|program|clinic|medication|medicine|patch|gum|test|guideline)s?\s+(?:says?|will|can|is|are|requires?|helps?)|"
    r"we(?:'ll|\s+will|'re\s+(?:going\s+to|gonna)|\s+(?:can|could|should|need\s+to|have\s+to|might|want\s+to))|i\s+(?:hope|think)\s+(?:you'll|you\s+will|you're\s+gonna|we|it\s+(?:would|might|could|will))|"
    r"i\s+hope\s+you|if\s+you\s+(?:need|ever|decide|have\s+any|want\s+(?:to|more))|feel\s+free|please|just\s+so\s+you\s+know|what\s+we\s+call|i'm\s+(?:happy|glad)\s+to\s+(?:help|give|share|talk)|"
    r"(?:great|good|best)\s+(?:exercise|way|option|place|service|resource|thing\s+to\s+do)|[$£€]\s*\d|\d+\s*(?:%|percent|mg|milligrams?)|high[- ]risk|"
    r"here's|here\s+is|this\s+is\s+(?:a|an|the|what|how)|that's\s+(?:why|because|how|what)|what\s+happens\s+(?:is|when)|"
    r"in\s+(?:fact|general)|generally|typically|usually\s+(?:people|it|the)|the\s+(?:good|bad)\s+news|my\s+(?:concern|advice|suggestion|recommendation|worry)|"
    r"i'll\s+see\s+you|see\s+you\s+(?:next|in|on|then|soon)|follow[- ]up|appointment|prescription|referral|we\s+have\s+(?:a|an|some|these)|there\s+(?:are|is)\s+(?:a|an|some|lots|many)\b)",
    re.IGNORECASE,
)
_YOU = re.compile(r"\b(?:you|you're|you've|you'd|you'll|your|yours|yourself)\b", re.IGNORECASE)
_FIRST_PERSON_OPINION = re.compile(r"^(?:i\s+think|i\s+believe|i\s+know|i'm\s+(?:sure|glad|happy)|i\s+(?:really\s+)?(?:appreciate|love|like))\b", re.IGNORECASE)
_SOUNDS = re.compile(r"\b(?:it\s+)?(?:sounds|seems|feels)\s+(?:like|as\s+(?:if|though))|\bwhat\s+i'm\s+hearing|\bif\s+i\s+(?:understand|hear)|\bdid\s+i\s+get\s+that", re.IGNORECASE)
_OTHER = re.compile(
    r"^(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|welcome|bye|goodbye|see\s+you|nice\s+to|thank|thanks|i\s+appreciate|"
    r"(?:that's|that\s+is|it's|this\s+is)\s+(?:a\s+)?(?:really\s+|very\s+|so\s+)?(?:great|good|wonderful|excellent|fantastic|awesome|amazing|terrific|"
    r"brilliant|impressive|huge|big|helpful|fine|okay|ok|interesting|fair|true|right|a\s+good\s+(?:idea|point|question|plan|decision|start|step))|"
    r"well\s+done|good\s+(?:job|for\s+you|work|idea|point|question)|i'm\s+(?:glad|happy|sorry)|i\s+(?:love|like)\s+that|"
    r"it\s+was\s+(?:nice|good|great|a\s+pleasure)|(?:i\s+)?look\s+forward|you're\s+welcome|my\s+pleasure|it's\s+been\s+a\s+while|i\s+(?:don't|didn't)\s+(?:know|mean)|not\s+at\s+all|"
    r"(?:you've|you\s+have)\s+(?:done|made|got)\s+(?:a\s+)?(?:really\s+)?(?:great|good|well|wonderful)|let's\s+(?:get\s+started|begin|start|move|go\s+back)|"
    r"i\s+(?:want|wanted|would\s+like|'d\s+like)\s+to\s+(?:talk|ask|start|begin|spend|check|go\s+over|make\s+sure)|my\s+name|i'm\s+[A-Z])",
    re.IGNORECASE,
)
_CHECK_IN = re.compile(
    r"^(?:how\s+(?:does|would)\s+that\s+sound|does\s+that\s+(?:make\s+sense|sound)|what\s+do\s+you\s+think(?:\s+about\s+(?:that|this))?|"
    r"(?:do\s+you\s+have\s+)?any\s+questions(?:\s+for\s+me)?|okay|ok|right|yeah|alright|all\s+right|is\s+that\s+(?:okay|right|fair|true)|"
    r"did\s+i\s+get\s+that\s+right|am\s+i\s+(?:right|getting\s+that\s+right)|would\s+that\s+(?:be\s+)?(?:okay|work|help)|"
    r"(?:are|were)\s+you\s+(?:familiar|aware)\s+(?:with|of)\s+(?:that|this|it|those|these)(?:\s+\w+)?|what\s+do\s+you\s+think\s+(?:of|about)\s+(?:that|this|a|an|the)\b.*)?"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z]\w*)?)?\W*$",
    re.IGNORECASE,
)


def _strip_fillers(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _FILLER.sub("", text, count=1)
    return text.strip()


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" .!?-–—…")]


def _is_question(sentence: str) -> bool:
    core = _strip_fillers(sentence)
    if sentence.rstrip().endswith("?"):
        return True
    if _INPUT.search(core):
        return False
    return bool(_INTERROGATIVE.match(core) and not core.endswith(".") and len(core.split()) >= 3) or bool(_INVITE.search(core))


def tag_utterance(text: str) -> Behaviour:
    """The main MI behaviour of one therapist utterance.

    Args:
        text: the utterance, as transcribed (fillers, fragments and dashes are fine).

    Returns:
        ``"question"``, ``"reflection"``, ``"input"`` or ``"other"`` (backchannels,
        greetings, thanks, affirmations).
    """
    body = " ".join(text.split())
    sentences = [_strip_fillers(s) for s in _sentences(body)]
    sentences = [s for s in sentences if len(s.split()) >= 2 or s.endswith("?")]
    if not sentences:
        return "other"
    statements = [s for s in sentences if not _is_question(s)]
    last = sentences[-1]
    if _is_question(last) or (len(sentences) > 1 and _is_question(sentences[-2]) and len(last.split()) <= 4):
        before = " ".join(statements)
        if _CHECK_IN.match(last) and statements:
            return "reflection" if _SOUNDS.search(before) or not _INPUT.search(before) else "input"
        return "question"
    joined = " ".join(statements)
    if _INPUT.search(joined):
        return "input"
    if all(_OTHER.match(s) or _FIRST_PERSON_OPINION.match(s) for s in statements):
        return "other"
    if _SOUNDS.search(joined) or any(_REFLECT.match(s) for s in statements):
        return "reflection"
    if _YOU.search(joined) or len(joined.split()) >= 3:
        return "reflection"
    return "other"
