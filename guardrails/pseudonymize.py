"""Consistent typed placeholders within a case, and optional interval-keeping date shifts.

The same surface form always maps to the same placeholder; a person mentioned as
"Sarah Miller", "Sarah" and "Ms. Miller" stays one person when the name parts agree and
no other person in the case shares them. A person named in a patient field
("Client: ...") becomes ``[PATIENT_n]``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil import parser as date_parser
from pydantic import BaseModel, Field

from guardrails.entities import Entity

_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof"}


def normalize(surface: str) -> str:
    """Case- and spacing-insensitive key of a surface form."""
    return " ".join(re.sub(r"[^\w@./:+-]", " ", surface.casefold()).split())


def name_tokens(surface: str) -> frozenset[str]:
    """Name parts of a person mention, without titles and possessives."""
    parts = re.findall(r"[a-z][a-z'’-]*", surface.casefold())
    return frozenset(p.removesuffix("'s").removesuffix("’s") for p in parts if p not in _TITLES)


class CaseMap(BaseModel):
    """Placeholder ↔ original map of one case (kept only in the encrypted vault)."""

    originals: dict[str, str] = Field(default_factory=dict, description="placeholder -> original")
    keys: dict[str, str] = Field(default_factory=dict, description="type|normalized -> placeholder")
    persons: dict[str, list[str]] = Field(default_factory=dict, description="placeholder -> name parts")
    counters: dict[str, int] = Field(default_factory=dict)

    def new_placeholder(self, label: str) -> str:
        """Next free placeholder of a label."""
        self.counters[label] = self.counters.get(label, 0) + 1
        return f"[{label}_{self.counters[label]}]"

    def find_person(self, tokens: frozenset[str]) -> str | None:
        """The one known person whose name parts contain (or are contained in) ``tokens``."""
        if not tokens:
            return None
        matches = [
            p for p, known in self.persons.items()
            if tokens <= set(known) or set(known) <= tokens
        ]
        return matches[0] if len(matches) == 1 else None


def _shift_date(surface: str, days: int) -> str | None:
    """Shift a fully specified date by ``days``, keeping its numeric or written style."""
    if not re.search(r"\d", surface):
        return None
    try:
        parsed = date_parser.parse(surface, default=_NO_DATE, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    has_year = bool(re.search(r"\b(?:19|20)\d{2}\b|\d+[/.-]\d+[/.-]\d{2}\b", surface))
    shifted: date = parsed.date() + timedelta(days=days)
    numeric = re.fullmatch(r"\d{1,4}([/.-])\d{1,2}(?:\1\d{2,4})?", surface.strip())
    if numeric:
        sep = numeric.group(1)
        if re.match(r"\d{4}", surface):
            return shifted.strftime(f"%Y{sep}%m{sep}%d")
        return f"{shifted.month:02d}{sep}{shifted.day:02d}" + (f"{sep}{shifted.year}" if has_year else "")
    text = f"{shifted.strftime('%B')} {shifted.day}"
    return f"{text}, {shifted.year}" if has_year else text


_NO_DATE = date_parser.parse("2000-01-01")


def pseudonymize(
    text: str,
    entities: list[Entity],
    case_map: CaseMap,
    labels: dict[str, str],
    date_shift_days: int | None = None,
) -> tuple[str, list[Entity]]:
    """Replace ``entities`` in ``text``; returns the new text and entities with placeholders.

    Entity offsets stay offsets into the input text.
    """
    # Assign persons longest-first so "Sarah Miller" exists before "Sarah" links to it.
    order = sorted(range(len(entities)), key=lambda i: -len(name_tokens(text[entities[i].start:entities[i].end])))
    assigned: dict[int, str] = {}
    for i in order:
        ent = entities[i]
        surface = text[ent.start:ent.end]
        label = labels.get(ent.type, ent.type)
        key = f"{label}|{normalize(surface)}"
        if ent.type in ("PERSON", "PATIENT"):
            key = f"NAME|{normalize(surface)}"
        placeholder = case_map.keys.get(key)
        if placeholder is None and ent.type in ("PERSON", "PATIENT"):
            tokens = name_tokens(surface)
            placeholder = case_map.find_person(tokens)
            if placeholder is not None:
                merged = set(case_map.persons[placeholder]) | tokens
                case_map.persons[placeholder] = sorted(merged)
            else:
                placeholder = case_map.new_placeholder(label)
                case_map.persons[placeholder] = sorted(tokens)
        elif placeholder is None and ent.type == "DATE" and date_shift_days is not None:
            shifted = _shift_date(surface, date_shift_days)
            placeholder = shifted if shifted is not None else case_map.new_placeholder(label)
        elif placeholder is None:
            placeholder = case_map.new_placeholder(label)
        if ent.type == "PATIENT" and placeholder.startswith("[PERSON_"):
            placeholder = _promote_to_patient(case_map, placeholder)
        case_map.keys[key] = placeholder
        case_map.originals.setdefault(placeholder, surface)
        assigned[i] = placeholder

    out: list[str] = []
    placed: list[Entity] = []
    cursor = 0
    for i, ent in enumerate(entities):
        placeholder = case_map.keys.get(_key_of(text, ent, labels), assigned[i])
        out.append(text[cursor:ent.start])
        out.append(placeholder)
        cursor = ent.end
        placed.append(ent.model_copy(update={"placeholder": placeholder}))
    out.append(text[cursor:])
    return "".join(out), placed


def _key_of(text: str, ent: Entity, labels: dict[str, str]) -> str:
    surface = text[ent.start:ent.end]
    if ent.type in ("PERSON", "PATIENT"):
        return f"NAME|{normalize(surface)}"
    return f"{labels.get(ent.type, ent.type)}|{normalize(surface)}"


def _promote_to_patient(case_map: CaseMap, person: str) -> str:
    """Rename a person placeholder to a patient one everywhere in the map."""
    patient = case_map.new_placeholder("PATIENT")
    case_map.persons[patient] = case_map.persons.pop(person)
    if person in case_map.originals:
        # the old placeholder may already be in text handed out: keep it resolvable
        case_map.originals[patient] = case_map.originals[person]
    for k, v in list(case_map.keys.items()):
        if v == person:
            case_map.keys[k] = patient
    return patient
