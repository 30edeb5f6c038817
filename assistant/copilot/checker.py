"""The co-pilot check: note + claim → the payer's checklist, code checks and suggestions.

Order of work: resolve the rule pack in force → de-identify the note (nothing else sees
the raw text) → segment → run each element's detectors (patterns — half of them in the
helper process for a long note —, then the similarity layer, then an LLM judge for
borderline items when a model is configured) → map evidence
offsets back to the user's text → suggestions for gaps → deterministic code checks.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from assistant.copilot.citations import CitationResolver
from assistant.copilot.code_checks import EM_CODE, Claim, CodeCheck, run_code_checks
from assistant.copilot.detect_formal import documented_minutes
from assistant.copilot.findings import Finding
from assistant.copilot.judge import LLMJudge, LLMPhraser
from assistant.copilot.models import (
    ChecklistItem,
    CheckRequest,
    CheckResponse,
    Evidence,
    RulePackRef,
    Summary,
)
from assistant.copilot.offload import Offload, detect
from assistant.copilot.offsets import OffsetMap
from assistant.copilot.rulepacks import RulePack, RulePackError, RulePackRegistry
from assistant.copilot.segments import NoteDoc, segment_note
from assistant.copilot.similarity import SimilarityLayer
from assistant.copilot.suggestions import Transcript, parse_transcript, suggest
from assistant.errors import InvalidInputError

_MODALITY_BY_CODE = {"90846": "family", "90847": "family", "90849": "group", "90853": "group"}


class Deidentifies(Protocol):
    """What the checker needs from the de-identifier."""

    def deidentify(self, text: str) -> Any:
        """Pseudonymized ``text`` with entities (offsets into the input, placeholders)."""


class NoteChecker:
    """Checks notes against rule packs; one instance serves many requests."""

    def __init__(
        self,
        registry: RulePackRegistry,
        deidentifier: Deidentifies,
        citations: CitationResolver | None = None,
        similarity: SimilarityLayer | None = None,
        judge: LLMJudge | None = None,
        phraser: LLMPhraser | None = None,
        offload: Offload | None = None,
    ) -> None:
        """Wire the checker's parts; everything but the registry and de-identifier is optional.

        ``offload`` (the de-identification helper process) runs half of a long note's detectors.
        """
        self.registry = registry
        self.deidentifier = deidentifier
        self.citations = citations or CitationResolver(None)
        self.similarity = similarity
        self.judge = judge
        self.phraser = phraser
        self.offload = offload

    def resolve_pack(self, request: CheckRequest) -> RulePack:
        """The pack in force for the request, with its codes validated."""
        try:
            pack = self.registry.resolve(request.payer, request.date)
        except RulePackError as exc:
            field = "payer" if "unknown payer" in str(exc) else "date"
            raise InvalidInputError(str(exc), field) from None
        known = sorted(pack.codes)
        if request.cpt not in pack.codes:
            raise InvalidInputError(f"unknown CPT code {request.cpt}; known codes: {', '.join(known)}", "cpt")
        for code in request.addons:
            if code not in pack.codes and not EM_CODE.match(code):
                raise InvalidInputError(
                    f"unknown add-on code {code}; known codes: {', '.join(known)} and E/M codes 99xxx", "addons"
                )
        return pack

    def _deidentify(self, text: str) -> tuple[str, OffsetMap]:
        result = self.deidentifier.deidentify(text)
        replacements = [(e.start, e.end, e.placeholder or "") for e in result.entities]
        return result.text, OffsetMap.from_replacements(sorted(replacements))

    async def check(self, request: CheckRequest) -> CheckResponse:
        """The checklist for one note."""
        started = time.perf_counter()
        pack = self.resolve_pack(request)
        clean, offsets = self._deidentify(request.note)
        doc = segment_note(clean)
        transcript = parse_transcript(request.transcript) if request.transcript else None
        codes = [request.cpt, *request.addons]
        modality = request.modality or _MODALITY_BY_CODE.get(request.cpt)
        rules = pack.elements_for(codes)
        options_of: dict[str, dict[str, Any]] = {e: {**rule.options, "modality": modality} for e, rule in rules.items()}
        found = detect(doc, options_of, self.offload)
        items = []
        for element, rule in rules.items():
            options = options_of[element]
            finding = found[element]
            if self.similarity is not None and finding.status == "missing":
                finding = self.similarity.rescue(element, rule, doc, finding)
            if self.judge is not None and self.judge.wants(finding):
                finding = await self.judge.decide(element, rule, doc, finding)
            item, quote = self._item(request, pack, element, rule, finding, offsets, options, transcript)
            if quote and self.phraser is not None:
                item = await self._phrase(item, element, rule, quote)
            items.append(item)
        minutes = request.minutes if request.minutes is not None else documented_minutes(doc)
        claim = Claim(cpt=request.cpt, addons=request.addons, minutes=minutes, pos=request.pos, modifiers=request.modifiers)
        checks = run_code_checks(pack, claim, clean)
        if minutes is None and pack.codes[request.cpt].min_minutes is not None:
            checks.insert(0, CodeCheck(check="time_band", status="warn", message=f"{request.cpt} is time-based; no minutes were given or found in the note"))
        summary = Summary(**{s: sum(1 for i in items if i.status == s) for s in ("met", "partial", "missing")})
        return CheckResponse(
            payer=request.payer,
            cpt=request.cpt,
            rule_pack=RulePackRef(id=pack.id, version=pack.version),
            items=items,
            code_checks=checks,
            summary=summary,
            engine="llm" if self.judge is not None and self.judge.enabled else "offline",
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _item(
        self,
        request: CheckRequest,
        pack: RulePack,
        element: str,
        rule: Any,
        finding: Finding,
        offsets: OffsetMap,
        options: dict[str, Any],
        transcript: Transcript | None,
    ) -> tuple[ChecklistItem, str | None]:
        evidence = []
        for seg in finding.segments:
            start = offsets.to_original(seg.start, is_end=False)
            end = offsets.to_original(seg.end, is_end=True)
            evidence.append(Evidence(quote=request.note[start:end], start=start, end=end))
        status = finding.status
        if status == "met" and not evidence:
            status = "partial"  # never "met" without a quote
        suggestion = None
        quote = None
        lines: list[int] = []
        if status != "met":
            made = suggest(element, rule, options, transcript)
            suggestion, lines, quote = made.text, made.lines, made.quote
        return ChecklistItem(
            element=element,
            label=rule.label,
            status=status,
            evidence=evidence,
            citations=[self.citations.resolve(c, pack.payer, request.date) for c in rule.citations],
            suggestion=suggestion,
            reason=finding.reason,
            suggestion_sources=lines,
        ), quote

    async def _phrase(self, item: ChecklistItem, element: str, rule: Any, quote: str) -> ChecklistItem:
        """Let the model phrase a transcript-filled suggestion (de-identified in, re-identified out)."""
        assert self.phraser is not None
        clean = self.deidentifier.deidentify(quote)
        sentence = await self.phraser.phrase(element, rule, [clean.text])
        if sentence is None:
            return item
        for placeholder, original in clean.case_map.originals.items():
            sentence = sentence.replace(placeholder, original)
        return item.model_copy(update={"suggestion": sentence})


def note_doc(text: str) -> NoteDoc:
    """Segment a (de-identified) note; exposed for evaluation tools."""
    return segment_note(text)
