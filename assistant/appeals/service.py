"""Appeals as a Parity capability: classify a denial file; draft the cited letter and evidence packet."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from assistant.appeals.classify import classify
from assistant.appeals.evidence import RecordDocument, gather_criteria
from assistant.appeals.intake import read_denials
from assistant.appeals.letter import letter_to_html, letter_to_pdf, write_letter
from assistant.appeals.llm import write_letter_llm
from assistant.appeals.models import AppealDraft, Classification, Denial, PolicyRef
from assistant.appeals.store import DenialCaseStore
from assistant.copilot.rulepacks import RulePackError, get_registry
from assistant.errors import InvalidInputError
from assistant.gateway import CallRecord
from assistant.runtime import Runtime
from guardrails.citations import policy_citations, verify_policy_citations, verify_quotes


def select_claim(denials: list[Denial], claim: str | None) -> Denial:
    """The claim asked for, else the first one with a denial reason (an 835 holds several)."""
    if claim and len(denials) == 1 and denials[0].source != "835":
        denials[0].claim_id = claim  # a letter is about one claim: the biller's number wins over our reading
        return denials[0]
    if claim:
        for d in denials:
            if d.claim_id == claim:
                return d
        known = ", ".join(d.claim_id or "?" for d in denials)
        raise InvalidInputError(f"claim {claim} is not in the file; claims: {known}", "claim")
    return next((d for d in denials if d.carc or d.reason_text), denials[0])


def classify_file(runtime: Runtime, data: bytes, filename: str, claim: str | None = None) -> Classification:
    """Read, classify and record one denial."""
    denials = read_denials(data, filename, runtime.settings.max_input_bytes)
    denial = select_claim(denials, claim)
    text = data.decode("utf-8", "replace") if not data.startswith(b"%PDF") else denial.reason_text
    store = DenialCaseStore(runtime.engine, runtime.settings.secret_key.get_secret_value())
    registry = get_registry()
    rules = runtime.appeal_rules
    first = classify(denial, text, registry, rules, default_deadline_days=runtime.settings.appeal_default_days)
    recent = 0
    if denial.denial_date:
        recent = store.recent_same_cause(first.root_cause, denial.denial_date, rules.routing.joint_review.get("days", 30),
                                         exclude=store.key(denial.payer, denial.claim_id))
    result = classify(denial, text, registry, rules, recent_same_cause=recent,
                      default_deadline_days=runtime.settings.appeal_default_days)
    store.record(result)
    return result


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def draft_appeal(
    runtime: Runtime,
    data: bytes,
    filename: str,
    documents: list[RecordDocument],
    claim: str | None = None,
    payer: str | None = None,
    out: Path | None = None,
    today: dt.date | None = None,
) -> AppealDraft:
    """Classify the denial, gather the payer's criteria and the record's evidence, write and verify the letter."""
    from assistant.bootstrap import load_sample_policies

    load_sample_policies(runtime)  # the embedded default: sample payer policies on first use
    result = classify_file(runtime, data, filename, claim)
    denial = result.denial
    if payer:
        denial.payer = payer
    checker = runtime.note_checker
    day = next(iter(denial.dates_of_service), None)
    try:
        pack = checker.registry.resolve(denial.payer if denial.payer in checker.registry.payers else None, day)
    except RulePackError as exc:
        raise InvalidInputError(str(exc), "payer") from None
    criteria, warnings = await gather_criteria(denial, pack, checker, documents)
    letter, problems, engine = "", [], "offline"
    records: list[CallRecord] = []
    sources = {d.name: d.text for d in documents}
    resolver = _resolver(runtime, denial.payer)

    def check(text: str) -> list[str]:
        return verify_quotes(text, sources) + verify_policy_citations(policy_citations(text), resolver)

    if result.appealable:
        if runtime.gateway.engine == "llm":
            written = await write_letter_llm(runtime.gateway, result, criteria, checker.deidentifier, records)
            if written is not None and not (model_problems := check(written)):
                letter, engine = written, "llm"
            elif written is not None:
                warnings.append("the model's letter failed the citation check and was not used: " + "; ".join(model_problems[:3]))
        if not letter:
            letter = write_letter(result, criteria, today=today)
        problems = check(letter)
    else:
        warnings.insert(0, f"not appealable as a clinical appeal: recommended action is {result.action}")
    citations = [c.policy for c in criteria if c.met and c.policy is not None]
    draft = AppealDraft(
        denial=denial, root_cause=result.root_cause, classification=result, criteria=criteria, letter_markdown=letter,
        citations=list({(p.policy_id, p.section): p for p in citations}.values()), warnings=warnings,
        engine=engine, ready=bool(letter) and not problems, verification=problems,
        calls=[r.model_dump(mode="json") for r in records],
    )
    if out is not None and letter:
        draft.files = _write_outputs(draft, out)
    return draft


def _resolver(runtime: Runtime, payer: str | None):  # type: ignore[no-untyped-def]
    store = runtime.policy_store

    def resolve(policy_id: str, section: str, version: str | None) -> str | None:
        hits = store.get(policy_id, section, payer=payer if payer in runtime.note_checker.registry.payers else None)
        hits = [h for h in hits if version is None or h.version == version]
        return " ".join(h.text for h in hits) or None

    return resolve


def _write_outputs(draft: AppealDraft, out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"appeal-{draft.denial.claim_id or 'claim'}"
    paths = {"markdown": out / f"{stem}.md", "html": out / f"{stem}.html", "pdf": out / f"{stem}.pdf",
             "evidence": out / f"{stem}-evidence.json"}
    _atomic_write(paths["markdown"], draft.letter_markdown.encode())
    _atomic_write(paths["html"], letter_to_html(draft.letter_markdown).encode())
    letter_to_pdf(draft.letter_markdown, paths["pdf"])
    packet = {"criteria": [c.model_dump(mode="json") for c in draft.criteria], "warnings": draft.warnings,
              "citations": [c.model_dump(mode="json") for c in draft.citations], "verification": draft.verification}
    _atomic_write(paths["evidence"], json.dumps(packet, indent=2).encode())
    return {k: str(v) for k, v in paths.items()}


__all__ = ["PolicyRef", "classify_file", "draft_appeal", "select_claim"]
