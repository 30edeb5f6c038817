"""Evidence for an appeal: the payer's criteria for the denied code and, for each, the record's quotes.

Criteria are the rule-pack elements for the code on the date of service, each with the
payer's policy passage (resolved through the policy store). The record is the supplied
progress notes and treatment plan, checked with the co-pilot; a criterion is met when a
document meets it, and its evidence is the checker's verbatim quotes with the document's
name and date. Unmet criteria become warnings: only the clinician can add a truthful,
dated late entry — Parity never writes one.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

from assistant.appeals.intake import _DATE, _dates
from assistant.appeals.models import Criterion, Denial, EvidenceQuote, PolicyRef
from assistant.copilot.checker import NoteChecker
from assistant.copilot.models import CheckRequest
from assistant.copilot.rulepacks import RulePack

_DOS_LINE = re.compile(rf"\b(?:date\s+of\s+service|DOS|session\s+date|date)\s*[:#]?\s*(?P<v>{_DATE})", re.IGNORECASE)


class RecordDocument(BaseModel):
    """A note or treatment plan supplied as evidence."""

    name: str
    text: str
    kind: str = "progress note"
    date: dt.date | None = None


def document(name: str, text: str, kind: str = "progress note") -> RecordDocument:
    """A record document with its date read from its header (date of service / date line)."""
    m = _DOS_LINE.search(text[:600])
    day = next(iter(_dates(m.group("v"))), None) if m else None
    return RecordDocument(name=name, text=text, kind=kind, date=day)


async def gather_criteria(
    denial: Denial,
    pack: RulePack,
    checker: NoteChecker,
    documents: list[RecordDocument],
) -> tuple[list[Criterion], list[str]]:
    """The payer's criteria for the denied code with the record's evidence; warnings for unmet ones."""
    cpt = next((c for c in denial.cpt if c in pack.codes and not pack.codes[c].addon), None) or (denial.cpt or [""])[0]
    if cpt not in pack.codes:
        return [], [f"no documentation criteria are known for code {cpt or '(none)'}; build the argument by hand"]
    addons = [c for c in denial.cpt if c != cpt and c in pack.codes]
    day = next(iter(denial.dates_of_service), None)
    results = []
    for doc in documents:
        request = CheckRequest(note=doc.text, cpt=cpt, addons=addons, payer=pack.payer, date=day or doc.date)
        results.append((doc, await checker.check(request)))
    criteria: list[Criterion] = []
    warnings: list[str] = []
    for element, rule in pack.elements_for([cpt, *addons]).items():
        evidence = []
        for doc, result in results:
            item = next((i for i in result.items if i.element == element), None)
            if item is not None and item.status == "met":
                evidence += [EvidenceQuote(quote=e.quote, source=doc.name, date=doc.date) for e in item.evidence[:2]]
        policy = None
        if rule.citations:
            c = rule.citations[0]
            resolved = checker.citations.resolve(c, pack.payer, day, focus=f"{rule.label}. {rule.description}")
            version = _version_of(checker, c.policy_id, c.section, pack.payer, day, resolved.chunk_id)
            policy = PolicyRef(policy_id=c.policy_id, section=c.section, version=version, chunk_id=resolved.chunk_id,
                               quote=resolved.quote)
        met = bool(evidence)
        criteria.append(Criterion(criterion=rule.label, element=element, policy=policy, evidence=evidence, met=met))
        if not met:
            where = f" ({policy.policy_id} §{policy.section})" if policy else ""
            warnings.append(
                f"not documented in the supplied record: {rule.label}{where}. Only the treating clinician may add a "
                "truthful, dated late entry; Parity will not write one."
            )
    if not documents:
        warnings.insert(0, "no progress notes were supplied: every criterion is unanswered")
    return criteria, warnings


def _version_of(checker: NoteChecker, policy_id: str, section: str, payer: str | None, day: dt.date | None,
                chunk_id: str | None) -> str | None:
    store = checker.citations.store
    if store is None or chunk_id is None:
        return None
    hits = store.get(policy_id, section, payer=payer, date=day)
    return next((h.version for h in hits if h.chunk_id == chunk_id), None)
