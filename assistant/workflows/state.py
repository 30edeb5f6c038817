"""Workflow state: a narrow input, the full state, and the review gate's request and decision models.

Everything in state is de-identified: the service pseudonymizes the input (vault holds the map)
before the graph sees it, so checkpoints never hold identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from pydantic import BaseModel, Field, model_validator

ReviewAction = Literal["approve", "edit", "reject", "request_clinical_input"]


class NoteInput(TypedDict):
    """What starts a note case (pseudonymized transcript and claim context)."""

    case_id: str
    transcript: str
    cpt: str | None
    payer: str | None
    minutes: int | None
    note_format: str | None


class NoteState(NoteInput, total=False):
    """The note case as it moves through the graph."""

    clean_transcript: str
    policy_chunks: list[str]
    draft: dict[str, Any]
    note_text: str
    check: dict[str, Any] | None
    decision: dict[str, Any]
    revisions: int
    status: str
    final_text: str


class ReviewRequest(BaseModel):
    """What the reviewer sees at the gate."""

    case_id: str
    kind: Literal["note", "appeal"]
    role: Literal["clinician", "biller"]
    text: str
    checklist: dict[str, Any] | None = None
    allowed: list[ReviewAction]


class ReviewDecision(BaseModel):
    """The reviewer's answer."""

    action: ReviewAction
    text: str | None = Field(default=None, description="The edited text (edit).")
    reason: str | None = Field(default=None, description="Why (reject, request_clinical_input).")
    actor: str = "unknown"

    @model_validator(mode="after")
    def _complete(self) -> ReviewDecision:
        if self.action == "edit" and not (self.text and self.text.strip()):
            raise ValueError("an edit needs the edited text")
        if self.action in ("reject", "request_clinical_input") and not (self.reason and self.reason.strip()):
            raise ValueError(f"{self.action} needs a reason")
        return self


class AppealInput(TypedDict):
    """What starts an appeal case: the denial document and the record (checkpoints are encrypted)."""

    case_id: str
    denial_b64: str
    filename: str
    notes: list[dict[str, str]]
    claim: str | None


class AppealState(AppealInput, total=False):
    """The appeal case as it moves through the graph."""

    clean_denial: str
    classification: dict[str, Any]
    cpt: str | None
    payer: str | None
    routes: list[str]
    policy_chunks: list[str]
    criteria: list[dict[str, Any]]
    warnings: list[str]
    letter: str
    verification: list[str]
    decision: dict[str, Any]
    clinical_input: list[dict[str, str]]
    status: str
    files: dict[str, str]


@dataclass
class WorkflowContext:
    """Clients the nodes use, injected at run time (never created at import)."""

    scribe: Any
    checker: Any
    policy_store: Any
    finalizer: Any
    runtime: Any = None
