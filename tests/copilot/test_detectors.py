"""Each element detector on positives, negatives and negations (tables)."""

from __future__ import annotations

import pytest

from assistant.copilot.detectors import DETECTORS
from assistant.copilot.segments import segment_note

CASES = [
    # element, note, options, expected
    ("diagnosis", "A: F41.1 Generalized anxiety disorder. Client reports worry most days, 8/10.", {}, "met"),
    ("diagnosis", "Diagnosis: panic disorder. Panic attacks 3x/week.", {}, "partial"),
    ("diagnosis", "A: F33.1", {}, "partial"),
    ("diagnosis", "Client discussed her week and her plans for the holidays.", {}, "missing"),
    ("symptoms_severity", "Client reports panic attacks 3 times this week; GAD-7 = 14.", {}, "met"),
    ("symptoms_severity", "Client reports ongoing worry and irritability.", {}, "partial"),
    ("symptoms_severity", "Client denies depression and anxiety.", {}, "missing"),
    ("functional_impairment", "She missed three shifts at work because of panic.", {}, "met"),
    ("functional_impairment", "He has stopped seeing friends and is failing two classes.", {}, "met"),
    ("functional_impairment", "They have not taken their children to the park or library in a month.", {}, "met"),
    ("functional_impairment", "She has not taken her children to the park or library in a month.", {}, "met"),
    ("functional_impairment", "Client denies any problems at work or at home.", {}, "missing"),
    ("treatment_plan_goals", "Goal: reduce panic attacks to fewer than 1 per week by [DATE_2].", {}, "met"),
    ("treatment_plan_goals", "Treatment goals reviewed with client.", {}, "partial"),
    ("treatment_plan_goals", "Client arrived on time.", {}, "missing"),
    ("interventions", "Used cognitive restructuring to challenge catastrophic predictions.", {}, "met"),
    ("interventions", "Provided supportive counseling and processed feelings.", {}, "partial"),
    ("interventions", "Discussed her week.", {}, "missing"),
    ("response_progress", "R: Client identified two alternative thoughts; anxiety down from 8/10 to 5/10.", {}, "met"),
    ("response_progress", "Client tolerated session well.", {}, "partial"),
    ("response_progress", "Client arrived on time.", {}, "missing"),
    ("risk_assessment", "Denies SI/HI; safety plan reviewed.", {}, "met"),
    ("risk_assessment", "Client denies SI.", {}, "met"),
    ("risk_assessment", "Safety plan not reviewed today; client denies SI/HI.", {}, "met"),
    ("risk_assessment", "Denies HI; SI not assessed.", {}, "partial"),
    ("risk_assessment", "No SI assessed.", {}, "missing"),
    ("risk_assessment", "Risk: deferred.", {}, "missing"),
    ("risk_assessment", "Client was not asked about SI today.", {}, "missing"),
    ("continued_care_rationale", "Continued weekly CBT is needed because panic still limits her work; further gains expected.", {}, "met"),
    ("continued_care_rationale", "Continue therapy as medically necessary.", {}, "partial"),
    ("continued_care_rationale", "Client arrived on time.", {}, "missing"),
    ("time_documentation", "Session 10:00–10:53 (53 minutes).", {}, "met"),
    ("time_documentation", "Total face-to-face time: 45 minutes.", {}, "met"),
    ("time_documentation", "Total face-to-face time: 45 minutes.", {"require_clock_times": True}, "partial"),
    ("time_documentation", "Session ran approximately 55–60 minutes.", {}, "partial"),
    ("time_documentation", "Practiced breathing for 5 minutes.", {}, "missing"),
    ("modality_participants", "Individual session, client only, in office.", {}, "met"),
    ("modality_participants", "Group psychotherapy, 7 members present.", {"modality": "group"}, "met"),
    ("modality_participants", "Member attended the Tuesday trauma skills group.", {"modality": "group"}, "partial"),
    ("modality_participants", "Client arrived on time.", {}, "missing"),
    ("plan", "P: Next session in one week; homework: thought record.", {}, "met"),
    ("plan", "P: Continue.", {}, "partial"),
    ("plan", "Client arrived on time.", {}, "missing"),
    ("provider_signature", "Signed: [PROVIDER_1], LCSW, [DATE_1]", {}, "met"),
    ("provider_signature", "Signed: [PROVIDER_1]", {}, "partial"),
    ("provider_signature", "Note unsigned — signature pending.", {}, "missing"),
    ("extended_session_justification", "The session was extended to 60 minutes because imaginal exposure had to be completed.", {}, "met"),
    ("extended_session_justification", "Session lasted 60 minutes.", {}, "missing"),
    (
        "extended_session_justification",
        "Session extended to 58 minutes because acute risk required safety planning. Last PHQ-9 was 10 weeks ago; not repeated today.",
        {"measure_within_days": 30},
        "partial",
    ),
    (
        "crisis_elements",
        "Presented in acute crisis after learning of her brother's death. MSE: alert, oriented, mood distraught. "
        "Grounding and safety planning used to de-escalate. Disposition: home with sister, follow-up call tomorrow.",
        {},
        "met",
    ),
    ("crisis_elements", "Presented in acute crisis after an argument with her partner.", {}, "partial"),
    ("crisis_elements", "Reviewed homework and practiced thought records.", {}, "missing"),
    ("family_focus", "Coached parents to respond calmly to the IP's panic so that his exposure goals are supported.", {}, "met"),
    ("family_focus", "Parents attended to discuss the patient's depression.", {}, "partial"),
    ("family_focus", "Session focused on the couple's budget disagreements.", {}, "missing"),
    ("interactive_complexity_factor", "An interpreter was used throughout, which slowed the exchange.", {}, "met"),
    ("interactive_complexity_factor", "Interactive complexity due to difficult family dynamics.", {}, "partial"),
    ("interactive_complexity_factor", "Client arrived on time.", {}, "missing"),
]


@pytest.mark.parametrize(("element", "note", "options", "expected"), CASES, ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_when_note_then_element_status(element: str, note: str, options: dict[str, object], expected: str) -> None:
    finding = DETECTORS[element](segment_note(note), options)
    assert finding.status == expected, finding.reason
    if expected == "met":
        assert finding.segments, "met must come with evidence"
        assert all(note[s.start:s.end] == s.text for s in finding.segments)


def test_group_content_is_not_member_content() -> None:
    note = "Group members discussed panic attacks 3 times a week and shared coping ideas."
    assert DETECTORS["symptoms_severity"](segment_note(note), {}).status == "missing"


def test_segments_keep_sections_and_offsets() -> None:
    note = "S: Worry daily.\nA: F41.1 GAD.\nP: Next session in 1 week."
    doc = segment_note(note)
    assert [s.section for s in doc.segments] == ["subjective", "assessment", "plan"]
    assert all(note[s.start:s.end] == s.text for s in doc.segments)
