"""Draft a progress note from a transcript: intake → de-identify → facts → sections → verify → check.

Nothing identifiable goes past :meth:`Scribe._deidentify`: facts, sections, the verifier,
the model (when configured) and the co-pilot all see placeholders and role labels. The
draft stays pseudonymized; re-identification happens only when a clinician approves it.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.copilot.checker import NoteChecker
from assistant.copilot.models import CheckRequest
from assistant.copilot.suggestions import FACT_VOCABULARY
from assistant.gateway import CallRecord, LLMGateway
from assistant.scribe.facts import MEDICATION, OWN_WORDS, extract_facts
from assistant.scribe.intake import Transcript, Utterance, parse_transcript
from assistant.scribe.llm import extract_facts_llm, write_sections_llm
from assistant.scribe.models import DraftRequest, DraftResponse, Unsupported
from assistant.scribe.render import NoteFormat, NoteTemplate, Section, render_sections, render_text
from guardrails.scanner import scan
from guardrails.verify import verify_sentence

VOCABULARY = re.compile(FACT_VOCABULARY.pattern + "|" + MEDICATION.pattern, re.IGNORECASE)


class Scribe:
    """Drafts notes; one instance serves many requests."""

    def __init__(
        self,
        deidentifier: Any,
        template: NoteTemplate,
        default_format: NoteFormat = "SOAP",
        gateway: LLMGateway | None = None,
        checker: NoteChecker | None = None,
        window: int = 80,
    ) -> None:
        """Wire the scribe; ``gateway`` with a model configured switches to the LLM engine."""
        self.deidentifier = deidentifier
        self.template = template
        self.default_format = default_format
        self.gateway = gateway
        self.checker = checker
        self.window = window

    @property
    def engine(self) -> str:
        """``llm`` when a model is configured."""
        return "llm" if self.gateway is not None and self.gateway.engine == "llm" else "offline"

    def _deidentify(self, transcript: Transcript) -> Transcript:
        """Placeholders in every utterance; speakers become role labels."""
        joined = "\n".join(u.text for u in transcript.utterances)
        lines = self.deidentifier.deidentify(joined).text.split("\n")
        others: dict[str, str] = {}
        out: list[Utterance] = []
        for u, text in zip(transcript.utterances, lines, strict=True):
            if u.role == "other":
                label = others.setdefault(u.speaker, f"Participant {len(others) + 1}")
            else:
                label = u.role.capitalize()
            out.append(u.model_copy(update={"text": text, "speaker": label}))
        return transcript.model_copy(update={"utterances": out})

    def verify(self, sections: list[Section], transcript: Transcript) -> tuple[list[Section], list[Unsupported]]:
        """Keep the sentences their cited lines support; report the rest."""
        speakers = {u.speaker for u in transcript.utterances}  # "Participant 1" names a speaker, not a count
        template_words = [*OWN_WORDS, *self.template.phrasing.values(), *(s.name for s in sections), *speakers]
        known = {u.line for u in transcript.utterances}
        kept_sections, removed = [], []
        for section in sections:
            kept = []
            for sentence in section.sentences:
                if not sentence.support or not set(sentence.support) <= known:
                    removed.append(Unsupported(text=sentence.text, reason="cites no existing transcript line"))
                    continue
                verdict = verify_sentence(sentence.text, transcript.text_of(sentence.support), VOCABULARY, template_words)
                if verdict.supported:
                    kept.append(sentence)
                else:
                    removed.append(Unsupported(text=sentence.text, reason=verdict.reason))
            kept_sections.append(Section(name=section.name, sentences=kept))
        return kept_sections, removed

    async def draft(self, request: DraftRequest) -> DraftResponse:
        """The draft note for ``request``."""
        parsed = parse_transcript(request.transcript, request.input_format, request.roles)
        transcript = self._deidentify(parsed)
        fmt: NoteFormat = request.format or self.default_format
        records: list[CallRecord] = []
        span = (transcript.utterances[0].line, transcript.utterances[-1].line)
        if self.engine == "llm":
            assert self.gateway is not None
            facts = await extract_facts_llm(self.gateway, transcript, self.window, records)
            facts = [f for f in facts if verify_sentence(f.value, transcript.text_of(f.lines), VOCABULARY, OWN_WORDS).supported]
            sections = await write_sections_llm(self.gateway, facts, fmt, self.template, records)
        else:
            facts = extract_facts(transcript)
            sections = render_sections(facts, fmt, self.template, parsed.minutes, span, transcript.utterances)
        sections, unsupported = self.verify(sections, transcript)
        text = render_text(sections, fmt, self.template)
        source = " ".join(u.text for u in transcript.utterances).lower()
        findings = [  # identifiers the drafting introduced: the de-identified source already passed
            f for f in scan(text, getattr(self.deidentifier, "deidentifier", None))
            if text[f.start:f.end].lower() not in source
        ]
        for f in sorted(findings, key=lambda f: -f.start):
            text = text[:f.start] + f"[{f.type}]" + text[f.end:]
        check = None
        if request.cpt and self.checker is not None:
            check = await self.checker.check(CheckRequest(
                note=text, cpt=request.cpt, addons=request.addons, payer=request.payer,
                minutes=request.minutes if request.minutes is not None else parsed.minutes, date=request.date,
                modality=request.modality, pos=request.pos, modifiers=request.modifiers,
                transcript="\n".join(f"{u.speaker}: {u.text}" for u in transcript.utterances),
            ))
        return DraftResponse(
            format=fmt, sections=sections, text=text, facts=facts, unsupported=unsupported, check=check,
            engine="llm" if self.engine == "llm" else "offline", calls=[r.model_dump(mode="json") for r in records],
            minutes=parsed.minutes, lines=len(transcript.utterances), phi_findings=len(findings),
        )
