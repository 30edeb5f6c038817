"""The detector for each element id (the pattern layer of the checker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.copilot.detect_clinical import (
    detect_diagnosis,
    detect_functional,
    detect_goals,
    detect_symptoms,
)
from assistant.copilot.detect_codes import (
    detect_crisis,
    detect_extended,
    detect_family_focus,
    detect_interactive_complexity,
)
from assistant.copilot.detect_course import detect_rationale, detect_response, detect_risk
from assistant.copilot.detect_formal import detect_modality, detect_plan, detect_signature, detect_time
from assistant.copilot.detect_interventions import detect_interventions
from assistant.copilot.findings import Finding
from assistant.copilot.segments import NoteDoc

Detector = Callable[[NoteDoc, dict[str, Any]], Finding]

DETECTORS: dict[str, Detector] = {
    "diagnosis": detect_diagnosis,
    "symptoms_severity": detect_symptoms,
    "functional_impairment": detect_functional,
    "treatment_plan_goals": detect_goals,
    "interventions": detect_interventions,
    "response_progress": detect_response,
    "risk_assessment": detect_risk,
    "continued_care_rationale": detect_rationale,
    "time_documentation": detect_time,
    "modality_participants": detect_modality,
    "plan": detect_plan,
    "provider_signature": detect_signature,
    "extended_session_justification": detect_extended,
    "crisis_elements": detect_crisis,
    "family_focus": detect_family_focus,
    "interactive_complexity_factor": detect_interactive_complexity,
}
