"""The de-identification engine: Presidio analyzer + Safe Harbor recognizers + pseudonyms.

``Deidentifier.analyze`` finds PHI spans; ``Deidentifier.deidentify`` replaces them with
consistent typed placeholders (``[PATIENT_1]``, ``[DATE_2]`` ...) and returns the map
to store in the encrypted vault. Configuration lives in ``conf/deid.yaml``.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult

from guardrails.entities import Entity
from guardrails.gazetteers import states_and_countries
from guardrails.medical_terms import is_clinical_term
from guardrails.namecheck import is_english, is_name_token
from guardrails.ner_window import PackedText
from guardrails.nlp_engine import PackagedSpacyNlpEngine, RegexContextEnhancer
from guardrails.offline import configure_offline
from guardrails.pseudonymize import CaseMap, pseudonymize

if TYPE_CHECKING:
    from guardrails.parallel import HelperProcess

CONF = Path(__file__).resolve().parent / "conf" / "deid.yaml"
PLACEHOLDER_RE = re.compile(r"\[(?:[A-Z]+(?:_[A-Z]+)*)_\d+\]")


@dataclass
class DeidConfig:
    """Parsed ``deid.yaml``."""

    spacy_model: str
    spacy_exclude: list[str]
    chunk_chars: int
    score_threshold: float
    recognizers: list[str]
    placeholders: dict[str, str]
    allow_list: frozenset[str] = field(default_factory=frozenset)
    parallel_min_chars: int = 3000

    @classmethod
    def load(cls, path: Path = CONF) -> DeidConfig:
        """Read and validate the YAML file."""
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            spacy_model=raw["spacy"]["model"],
            spacy_exclude=list(raw["spacy"].get("exclude", [])),
            chunk_chars=int(raw["spacy"].get("chunk_chars", 5000)),
            parallel_min_chars=int((raw.get("parallel") or {}).get("min_chars", 3000)),
            score_threshold=float(raw.get("score_threshold", 0.45)),
            recognizers=list(raw["recognizers"]),
            placeholders=dict(raw["placeholders"]),
            allow_list=frozenset(str(w).lower() for w in raw.get("allow_list", [])),
        )


def _load_recognizer(path: str) -> EntityRecognizer:
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    recognizer: EntityRecognizer = cls()
    return recognizer


def split_chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Split at line breaks into pieces of about ``size`` characters, with their offsets."""
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        chunks.append((start, text[start:end]))
        start = end
    return chunks


_TRAILING_CREDENTIALS = re.compile(
    r"(?:,?\s+(?:PsyD|Psy\.D\.|PhD|Ph\.D\.|MD|M\.D\.|DO|LCSW|LICSW|LISW|LMSW|LSW|MSW|LPC|LPCC|LCPC|LMHC|LCMHC|LMFT|MFT|"
    r"NP|PMHNP(?:-BC)?|APRN|RN|MA|MS|MEd|EdD|BCBA|LADC|CADC|LAC))+\s*$"
)

def resolve_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Merge overlapping detections: the union of their extent, the best-scored type."""
    ordered = sorted(results, key=lambda r: (r.start, -r.end))
    merged: list[RecognizerResult] = []
    for r in ordered:
        if merged and r.start < merged[-1].end:
            last = merged[-1]
            best = last if (last.score, last.end - last.start) >= (r.score, r.end - r.start) else r
            entity = best.entity_type
            if {last.entity_type, r.entity_type} == {"PERSON", "PATIENT"}:
                entity = "PATIENT"
            merged[-1] = RecognizerResult(
                entity, last.start, max(last.end, r.end), max(last.score, r.score)
            )
        else:
            merged.append(RecognizerResult(r.entity_type, r.start, r.end, r.score))
    return merged


# Payers are not identifiers of the patient: plan and program names by their wording.
_PAYER_NAME = re.compile(
    r"\b(?:Health Plan|Mutual|Medicaid|Medicare(?: Advantage)?|HMO|PPO|EPO|Managed Care|Health Net|"
    r"Blue Cross|Blue Shield|Health Insurance|Insurance Plan|Behavioral Health Plan)\b"
)
_GENERIC_ORG_WORDS = frozenset(
    """
    the a an of and for adult child children adolescent family substance use school based provider
    member customer services service mental health behavioral behavioural counseling counselling
    outpatient inpatient clinic department dept office unit program programs group units billed paid
    cpt claims claim appeals appeal utilization management review medical center care
    cognitive processing individual therapy therapies adolescent billing relations adjustment reason
    code codes court assessment referral applicant recovery attending pcp dr psychiatry psychology
    psychotherapy couples trauma focused intensive partial hospitalization residential crisis
    note notes module group guardian mass psychiatric medication home-based based distress tolerance
    emotion regulation skills interpersonal effectiveness mindfulness session sessions progress
    initial intake evaluation diagnostic plan treatment agency area aging support services
    arabic spanish english french chinese mandarin cantonese vietnamese korean russian portuguese
    tagalog hindi urdu somali swahili polish italian german japanese asl
    mrn dob dos cpt icd ssn npi ein tin er icu ed iop php bh ehr emr hpi rarc carc eob era pos
    per evidence coverage level guidelines parity addiction equity policy original primary from
    lives subscriber id age consent-to-treat hipaa-compliant z-code senior advantage mom dad
    """.split()
)


# These recognizers test name-likeness themselves, with context the post-filter lacks.
_SELF_CHECKED_NAME_RECOGNIZERS = frozenset(
    {
        "X12Recognizer",
        "TitledNameRecognizer",
        "RelationNameRecognizer",
        "NicknameRecognizer",
        "LabelledNameRecognizer",
        "SpeakerNameRecognizer",
    }
)


def _has_name_word(surface: str) -> bool:
    """A person span must hold a name-like word (drops "That's", "Sundays", "DOS", "Tell").

    A one-word span is held to the first-name test; acronyms of up to four capitals and
    lower-case ordinary words are never names on their own.
    """
    words = re.findall(r"[^\W\d_][^\s]*", surface)
    if all(w.isupper() and len(w.strip("'’s")) <= 4 for w in words):
        return False
    if len(words) == 1:
        word = words[0]
        if word.islower():
            return not is_english(word.strip(".,'’"))
        return is_name_token(word, first=True)
    return any(is_name_token(w, first=False) for w in words)


def _generic_organization(surface: str) -> bool:
    """Service-line phrases ("Adult Behavioral Health", "Member Services") name nobody."""
    words = [w.lower().strip(".,'’") for w in re.findall(r"[^\s-]+", surface)]
    return all(w in _GENERIC_ORG_WORDS for w in words)


@dataclass
class DeidResult:
    """Pseudonymized text, the entities found (offsets into the input) and the case map."""

    text: str
    entities: list[Entity]
    case_map: CaseMap


_ANALYZING = threading.local()


@contextmanager
def _analyzing() -> Iterator[None]:
    """Marks this thread as inside the analyzer (a log filter must not re-enter it: the lock is not re-entrant)."""
    _ANALYZING.on = True
    try:
        yield
    finally:
        _ANALYZING.on = False


def analyzing_in_this_thread() -> bool:
    """Whether this thread is inside ``Deidentifier.analyze`` (holding its lock)."""
    return bool(getattr(_ANALYZING, "on", False))


class Deidentifier:
    """Presidio analyzer configured for behavioral-health text."""

    def __init__(self, config: DeidConfig | None = None) -> None:
        """Build the analyzer (loads the spaCy model: about a second)."""
        configure_offline()
        self.config = config or DeidConfig.load()
        nlp_engine = PackagedSpacyNlpEngine(self.config.spacy_model, self.config.spacy_exclude)
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        for path in self.config.recognizers:
            registry.add_recognizer(_load_recognizer(path))
        self.nlp_engine = nlp_engine
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            default_score_threshold=self.config.score_threshold,
            context_aware_enhancer=RegexContextEnhancer(),
        )
        self._lock = threading.Lock()
        self._multiword_allowed = [w for w in self.config.allow_list if " " in w or len(w) > 6]
        self.helper: HelperProcess | None = None
        """A helper process sharing long texts with this one (see :func:`get_deidentifier`)."""

    def _allowed(self, surface: str) -> bool:
        low = " ".join(surface.lower().split()).strip(".,;:'\"")
        if low in self.config.allow_list or _PAYER_NAME.search(surface):
            return True
        if " " in low and all(t.strip(".,:;") in self.config.allow_list for t in low.split()):
            return True  # "IP Dx", "CBT ERP": every word is allowed vocabulary
        # "BrightPath Behavioral Claims": a known payer's department is the payer
        return any(low.startswith(entry + " ") for entry in self._multiword_allowed)

    def raw_results(self, chunks: list[tuple[int, str]]) -> list[RecognizerResult]:
        """Every recognizer's detections in ``chunks`` (offset, text), offsets into the whole text."""
        with self._lock, _analyzing():  # spaCy pipelines are not re-entrant across threads
            packed = [PackedText.pack(c) for _, c in chunks]
            found = self.nlp_engine.entities([p.text for p in packed])
            raw: list[RecognizerResult] = []
            for (offset, chunk), pack, ents in zip(chunks, packed, found, strict=True):
                nlp_artifacts = self.nlp_engine.artifacts(chunk, pack, ents)
                for r in self.analyzer.analyze(chunk, language="en", nlp_artifacts=nlp_artifacts):
                    r.start += offset
                    r.end += offset
                    raw.append(r)
        return raw

    def analyze(self, text: str, extra_allow: frozenset[str] = frozenset()) -> list[Entity]:
        """Find PHI spans (character offsets into ``text``), non-overlapping, in order.

        A long text is analyzed in chunks cut at line breaks; with a helper process running
        (see :mod:`guardrails.parallel`), the text is first cut in two at the line break
        nearest its middle and the second half is analyzed there, at the same time.
        """
        if not text.strip():
            return []
        if self.helper is not None:
            raw = self.helper.raw_results(self, text)
        else:
            raw = self.raw_results(split_chunks(text, self.config.chunk_chars))
        kept = []
        for r in raw:
            surface = text[r.start:r.end]
            if self._allowed(surface) or surface.lower() in extra_allow:
                continue
            if PLACEHOLDER_RE.fullmatch(surface.strip()):
                continue
            recognizer = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY)
            if (
                r.entity_type in ("PERSON", "PATIENT")
                and recognizer not in _SELF_CHECKED_NAME_RECOGNIZERS
                and not _has_name_word(surface)
            ):
                continue
            if r.entity_type == "ORGANIZATION" and _generic_organization(surface):
                continue
            if r.entity_type in ("LOCATION", "ORGANIZATION") and surface.strip(" .,").lower() in states_and_countries():
                continue
            if r.entity_type in ("PERSON", "ORGANIZATION", "LOCATION") and is_clinical_term(
                surface, text[r.end:r.end + 40]
            ):
                continue
            kept.append(r)
        out = []
        for r in resolve_overlaps(kept):
            end = r.end
            if r.entity_type in ("PERSON", "PATIENT"):
                m = _TRAILING_CREDENTIALS.search(text[r.start:r.end])
                if m and m.start() > 0:
                    end = r.start + m.start()  # "Ezekiel Brannigan, PsyD": the credential is not an identifier
            out.append(Entity(type=r.entity_type, start=r.start, end=end, score=round(r.score, 3)))
        return out

    def deidentify(
        self,
        text: str,
        case_map: CaseMap | None = None,
        date_shift_days: int | None = None,
    ) -> DeidResult:
        """Replace every PHI span with a typed placeholder, consistent within the case."""
        entities = self.analyze(text)
        case_map = case_map or CaseMap()
        new_text, placed = pseudonymize(
            text, entities, case_map, self.config.placeholders, date_shift_days
        )
        return DeidResult(text=new_text, entities=placed, case_map=case_map)


@lru_cache(maxsize=1)
def get_deidentifier() -> Deidentifier:
    """The process-wide de-identifier (built on first use), with a helper process where set up.

    ``PARITY_DEID_WORKERS`` (default 1 on a machine with two or more cores, else 0) says
    whether a second process may share the analysis of long texts (``parallel.min_chars``
    in ``deid.yaml``) once a long-running process starts it (``helper.warm()``).
    """
    from guardrails.parallel import HelperProcess, helper_wanted

    deidentifier = Deidentifier()
    if helper_wanted():
        deidentifier.helper = HelperProcess(deidentifier.config)
    return deidentifier
