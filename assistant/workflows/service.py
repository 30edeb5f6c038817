"""Case service: start a note case, show it, take the reviewer's decision; the graph does the rest."""

from __future__ import annotations

import base64
import os
import signal
import uuid
from typing import Any

from langgraph.types import Command
from pydantic import BaseModel

from assistant.audit.log import diff
from assistant.errors import InvalidInputError, NotFoundError
from assistant.runtime import Runtime
from assistant.scribe.intake import parse_transcript
from assistant.workflows.checkpoints import make_checkpointer
from assistant.workflows.graphs import appeal_graph, note_graph
from assistant.workflows.state import ReviewDecision, ReviewRequest, WorkflowContext
from assistant.workflows.store import CaseRecords


class CaseView(BaseModel):
    """A case as its owner sees it (pseudonymized until signed)."""

    case_id: str
    kind: str
    status: str
    owner: str
    pending: ReviewRequest | None = None
    draft: dict[str, Any] | None = None
    checklist: dict[str, Any] | None = None
    signed: bool = False


def _vault_secret(runtime: Runtime) -> str:
    from guardrails.vault import load_or_create_dev_key

    s = runtime.settings
    return s.vault_key.get_secret_value() if s.vault_key is not None else load_or_create_dev_key(s.data_dir / "vault.key")


class CaseService:
    """Runs case graphs for one process; checkpoints in SQLite or PostgreSQL (see ``checkpoints``)."""

    def __init__(self, runtime: Runtime) -> None:
        """Build the graph, its checkpointer and the injected context."""
        self.runtime = runtime
        self.records = CaseRecords(runtime.engine, runtime.vault, runtime.settings.data_dir / "appeals")
        settings = runtime.settings
        self.checkpointer = make_checkpointer(settings.resolved_database_url, settings.data_dir, _vault_secret(runtime))
        self.graphs = {"note": note_graph(self.checkpointer), "appeal": appeal_graph(self.checkpointer)}
        self.context = WorkflowContext(scribe=runtime.scribe, checker=runtime.note_checker,
                                       policy_store=runtime.policy_store, finalizer=self.records, runtime=runtime)

    def _graph(self, case_id: str) -> Any:
        row = self.records.get(case_id)
        if row is None:
            raise NotFoundError(f"no case {case_id}", "case_id")
        return self.graphs[str(row["kind"])]

    def _config(self, case_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": case_id}}

    def _run(self, case_id: str, payload: Any) -> None:
        fault = os.environ.get("PARITY_FAULT_KILL_AFTER")  # crash tests only: die right after this node
        for update in self._graph(case_id).stream(payload, self._config(case_id), context=self.context,
                                                  durability="sync", stream_mode="updates"):
            if fault and fault in update:
                os.kill(os.getpid(), signal.SIGKILL)
        self.records.set_status(case_id, self.view(case_id).status)

    def start_note(self, transcript: str, *, owner: str, tenant: str, cpt: str | None = None, payer: str | None = None,
                   minutes: int | None = None, note_format: str | None = None,
                   authorization_id: str | None = None) -> CaseView:
        """Pseudonymize the transcript (map to the vault), record the case and run to the review gate.

        With ``authorization_id`` the signed note counts toward that authorization's continued-care items.
        """
        case_id = str(uuid.uuid4())
        if authorization_id is not None:
            self.runtime.authorizations.store.get(authorization_id)  # unknown id: 404 before anything is stored
        parsed = parse_transcript(transcript)
        others: dict[str, str] = {}
        labels = [u.role.capitalize() if u.role != "other" else others.setdefault(u.speaker, f"Participant {len(others) + 1}")
                  for u in parsed.utterances]
        labelled = "\n".join(f"{label}: {u.text}" for label, u in zip(labels, parsed.utterances, strict=True))
        minutes = minutes if minutes is not None else parsed.minutes
        result = self.runtime.deidentifier.deidentify(labelled)  # speakers become roles; names in the talk become placeholders
        self.runtime.vault.save(case_id, result.case_map)
        self.records.create(case_id, "note", tenant, owner)
        if authorization_id is not None:
            self.runtime.authorizations.store.link_case(case_id, authorization_id, cpt)
        self.runtime.audit.append(owner, "clinician", "case.create", case_id, {"kind": "note", "cpt": cpt, "payer": payer,
                                                                             "transcript_chars": len(transcript)}, tenant=tenant)
        self._run(case_id, {"case_id": case_id, "transcript": result.text, "cpt": cpt, "payer": payer,
                            "minutes": minutes, "note_format": note_format})
        return self.view(case_id)

    def start_appeal(self, denial: bytes, filename: str, notes: list[dict[str, str]], *, owner: str, tenant: str,
                     claim: str | None = None) -> CaseView:
        """Record an appeal case and run it to the biller's gate (checkpoints are encrypted)."""
        case_id = str(uuid.uuid4())
        self.records.create(case_id, "appeal", tenant, owner)
        self.runtime.audit.append(owner, "biller", "case.create", case_id, {"kind": "appeal", "filename": filename,
                                                                           "notes": [n["name"] for n in notes]}, tenant=tenant)
        self._run(case_id, {"case_id": case_id, "denial_b64": base64.b64encode(denial).decode(), "filename": filename,
                            "notes": notes, "claim": claim})
        return self.view(case_id)

    def state(self, case_id: str) -> dict[str, Any]:
        """The case graph's current state values (pseudonymized, except an appeal's letter and files)."""
        return dict(self._graph(case_id).get_state(self._config(case_id)).values or {})

    def view(self, case_id: str) -> CaseView:
        """The case with its pending gate, draft and checklist."""
        row = self.records.get(case_id)
        if row is None:
            raise NotFoundError(f"no case {case_id}", "case_id")
        snapshot = self._graph(case_id).get_state(self._config(case_id))
        values = snapshot.values or {}
        pending = None
        for task in snapshot.tasks:
            for intr in task.interrupts:
                pending = ReviewRequest.model_validate(intr.value)
        status = "awaiting_review" if pending else values.get("status", str(row["status"]))
        return CaseView(case_id=case_id, kind=str(row["kind"]), status=status, owner=str(row["owner"]), pending=pending,
                        draft=values.get("draft") or ({"letter": values.get("letter")} if "letter" in values else None),
                        checklist=values.get("check") or ({"criteria": values.get("criteria"), "warnings": values.get("warnings"),
                                                           "verification": values.get("verification")}
                                                          if "criteria" in values else None),
                        signed=self.records.signed_note(case_id) is not None or self.records.submission(case_id) is not None)

    def decide(self, case_id: str, decision: ReviewDecision) -> CaseView:
        """Resume the case at its gate with the reviewer's decision."""
        current = self.view(case_id)
        if current.pending is None:
            raise InvalidInputError(f"case {case_id} is not waiting for a review (status {current.status})", "case_id")
        if decision.action not in current.pending.allowed:
            raise InvalidInputError(f"{decision.action} is not allowed here; allowed: {', '.join(current.pending.allowed)}", "action")
        self._run(case_id, Command(resume=decision.model_dump()))
        if current.pending.role == "clinician" and current.kind == "appeal":
            self.records.close_tasks(case_id)
        after = self.view(case_id)
        if after.kind == "note" and after.status == "signed":
            self.count_toward_authorization(case_id)
        details: dict[str, Any] = {"action": decision.action, "reason": decision.reason, "status": after.status}
        if decision.action == "edit" and decision.text is not None and current.kind == "note":
            details["diff"] = diff(current.pending.text, decision.text)  # pseudonymized on both sides
        row = self.records.get(case_id) or {}
        self.runtime.audit.append(decision.actor, current.pending.role, f"review.{decision.action}", case_id, details,
                                  tenant=str(row.get("tenant")))
        return after

    def count_toward_authorization(self, case_id: str) -> list[str]:
        """Check a signed note against its linked authorization's items (idempotent by case id)."""
        import datetime as dt

        link = self.runtime.authorizations.store.case_link(case_id)
        text = self.records.signed_note(case_id)
        row = self.records.get(case_id) or {}
        if link is None or text is None:
            return []
        auth_id, cpt = link
        met: list[str] = self.runtime.authorizations.record_note(auth_id, case_id, str(row.get("owner")),
                                                                 dt.date.today(), text, cpt or "90834")
        return met

    def resume_pending(self) -> list[str]:
        """After a restart: continue every case that stopped between nodes (not those waiting for a person)."""
        resumed = []
        for row in self.records.list_all_open():
            graph = self.graphs[str(row["kind"])]
            snapshot = graph.get_state(self._config(str(row["case_id"])))
            waiting = any(t.interrupts for t in snapshot.tasks)
            if snapshot.next and not waiting:
                self._run(str(row["case_id"]), None)
                resumed.append(str(row["case_id"]))
        return resumed
