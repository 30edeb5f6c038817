"""Detector fixes found by the ablation set: a sentence that only looks like an element must not meet it.

Each fix has a positive (the element is still found), a negative (the look-alike is refused)
and, where it applies, a negation case. Notes are written for these tests, not copied from the
evaluation set.
"""

from __future__ import annotations

import pytest

from assistant.copilot.detectors import DETECTORS
from assistant.copilot.segments import segment_note

CASES = [
    # symptoms: the quantifier must qualify the symptom itself
    ("symptoms_severity", "He reports irritability 4 days a week.", {}, "met"),
    ("symptoms_severity", "He missed 3 practices this month due to fatigue.", {}, "partial"),
    ("symptoms_severity", "He denies low mood but reports irritability 4 days a week.", {}, "met"),
    ("symptoms_severity", "He denies irritability or low mood.", {}, "missing"),
    # symptoms: the clinician's intervention line names its topic, not the client's state
    ("symptoms_severity", "Used cognitive restructuring for guilt about the divorce (3 thought records).", {}, "missing"),
    ("symptoms_severity", "Relaxation training: practiced 10 minutes of breathing for tension.", {}, "missing"),
    # symptoms: another person's feelings, SUDS and a negated zero screen are not the client's symptoms
    ("symptoms_severity", "Her mother became tearful twice during the session.", {}, "missing"),
    ("symptoms_severity", "Her mother reports the client was tearful twice this week.", {}, "met"),
    ("symptoms_severity", "SUDS peaked at 80 during the exposure.", {}, "missing"),
    ("symptoms_severity", "No alcohol use reported (AUDIT-C = 0).", {}, "missing"),
    ("symptoms_severity", "AUDIT-C = 6 today.", {}, "met"),
    ("symptoms_severity", "He stopped going to sleepovers 3 times this month.", {}, "missing"),
    # interventions: a finding line, a planned technique or collateral history is not a delivered intervention
    ("interventions", "MSE: alert, calm, oriented x4, mood euthymic.", {}, "missing"),
    ("interventions", "A mental status exam was completed.", {}, "met"),
    ("interventions", "She agreed to try exposure next week.", {}, "missing"),
    ("interventions", "Practiced graded exposure in session.", {}, "met"),
    ("interventions", "No exposure was done today.", {}, "missing"),
    ("interventions", "His sister provided collateral history.", {}, "missing"),
    ("interventions", "Shaping with picture cards was used to prompt single words.", {}, "met"),
    # goals: a reference to a numbered goal, "goal-directed" or "target behaviors" states no goal
    ("treatment_plan_goals", "Reports 2 fewer arguments, progress toward goal 1.", {}, "missing"),
    ("treatment_plan_goals", "Steady progress toward the goal of returning to work full time.", {}, "met"),
    ("treatment_plan_goals", "Thought process linear and goal-directed.", {}, "missing"),
    ("treatment_plan_goals", "Parents listed three target behaviors for the chart.", {}, "missing"),
    # plan: a rationale's frequency or a goal's deadline is not the next contact; a dated next contact is
    ("plan", "P: Continued weekly therapy is needed because panic still limits work.", {}, "partial"),
    ("plan", "P: Next [DATE_3]; practice breathing daily.", {}, "met"),
    ("plan", "Plan goal: no missed shifts within 4 weeks.", {}, "missing"),
    ("plan", "P: Behavioral activation scheduling reviewed.", {}, "partial"),
    # modality: "patient present" names no family member; a count of peers the client spoke to is not attendance
    ("modality_participants", "Family psychotherapy (patient present).", {"modality": "family"}, "partial"),
    ("modality_participants", "Family session; mother and stepfather present.", {"modality": "family"}, "met"),
    ("modality_participants", "Group therapy. Member gave feedback to three members.", {"modality": "group"}, "partial"),
    ("modality_participants", "Group therapy. Six members present.", {"modality": "group"}, "met"),
    ("modality_participants", "Weekly individual sessions are recommended.", {}, "missing"),
    # time: a sleep window, a threshold and an exercise's length are not the session's time
    ("time_documentation", "Set a sleep window of 11:30–6:30.", {}, "missing"),
    ("time_documentation", "Session extended beyond 52 minutes because the exposure had to finish.", {}, "missing"),
    ("time_documentation", "Session extended to 60 minutes because the exposure had to finish.", {}, "met"),
    ("time_documentation", "Introduced worry time (15 minutes each evening).", {}, "missing"),
    # risk: a safety plan or a goal of "no suicidal behavior" is not an answered SI/HI screen
    ("risk_assessment", "She signed the safety plan.", {}, "partial"),
    ("risk_assessment", "Goal: no suicidal behavior for 8 weeks.", {}, "missing"),
    ("risk_assessment", "Endorses passive SI without plan; safety plan signed.", {}, "met"),
    ("risk_assessment", "SI not assessed; safety plan signed.", {}, "missing"),
    # continued care: a medication order, a negated need or the session's own length is not a rationale
    ("continued_care_rationale", "Continue sertraline 100 mg; labs not needed.", {}, "missing"),
    ("continued_care_rationale", "Wound checked; no further medical care needed.", {}, "missing"),
    ("continued_care_rationale", "Session extended because further exposure time was needed to complete the protocol.", {}, "missing"),
    ("continued_care_rationale", "Weekly therapy remains necessary because panic still limits her work.", {}, "met"),
    # functional: giving up an activity is an impact; an intervention about work is not
    ("functional_impairment", "She has given up her volunteer work and rarely sees friends.", {}, "met"),
    ("functional_impairment", "Problem-solving about her fear of failing classes; drafted an email to her advisor.", {}, "missing"),
    # response: "identified patient", an intervention line or an examination line is not a response
    ("response_progress", "Identified patient: [PATIENT_1], 12.", {}, "missing"),
    ("response_progress", "Taught parents labeled praise and practiced a reward chart.", {}, "missing"),
    ("response_progress", "Mental status: alert; she was able to answer all questions.", {}, "missing"),
    ("response_progress", "The client identified two coping steps and practiced them in session.", {}, "met"),
]


@pytest.mark.parametrize(("element", "note", "options", "expected"), CASES, ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_when_look_alike_then_status(element: str, note: str, options: dict[str, object], expected: str) -> None:
    finding = DETECTORS[element](segment_note(note), options)
    assert finding.status == expected, f"{finding.status}: {finding.reason} {[s.text for s in finding.segments]}"
