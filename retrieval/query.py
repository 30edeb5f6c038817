"""Query analysis: domain synonyms and code names for the lexical query, payers named in it.

Clinicians and billers ask with codes where policies write service names ("90791" vs
"psychiatric diagnostic evaluation"), with abbreviations ("SI", "P2P", "OTR") and with
everyday words where policies use headings ("how often" vs "frequency", "what changed" vs
"revision history"). The expansion adds the other form of each recognised term to the
sparse query at a lower weight than the words actually asked; the dense query is the
question as asked.

A question that names a payer ("Lakeshore", "Medicare") without a payer filter prefers
that payer's passages; the names are read from the payer ids in the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from retrieval.sparse import encode, term_weights

# CPT code -> the service names policies use for it
CODE_NAMES: dict[str, str] = {
    "90791": "psychiatric diagnostic evaluation assessment intake",
    "90792": "psychiatric diagnostic evaluation with medical services",
    "90832": "individual psychotherapy 30 minutes",
    "90833": "psychotherapy add-on with evaluation and management",
    "90834": "individual psychotherapy 45 minutes",
    "90836": "psychotherapy add-on with evaluation and management",
    "90837": "individual psychotherapy 60 minutes extended session",
    "90838": "psychotherapy add-on with evaluation and management",
    "90839": "crisis psychotherapy first 60 minutes",
    "90840": "crisis psychotherapy add-on each additional 30 minutes",
    "90846": "family psychotherapy without the patient present",
    "90847": "family psychotherapy with the patient present conjoint",
    "90853": "group psychotherapy",
    "90785": "interactive complexity add-on",
}

# phrase as asked (lower case, whole words) -> words a policy uses for it
SYNONYMS: dict[str, str] = {
    "si": "suicidal ideation risk",
    "hi": "homicidal ideation risk",
    "suicidal": "risk assessment safety plan",
    "telehealth": "telemedicine virtual video",
    "telemedicine": "telehealth virtual video",
    "virtual": "telehealth video",
    "video": "telehealth audio-video",
    "audio only": "audio-only telephone modifier 93",
    "phone": "audio-only telephone",
    "pos": "place of service",
    "place of service": "pos",
    "pa": "prior authorization",
    "prior auth": "prior authorization",
    "auth": "authorization",
    "ur": "utilization review",
    "otr": "outpatient treatment request",
    "p2p": "peer-to-peer conversation",
    "peer to peer": "peer-to-peer conversation",
    "abn": "advance beneficiary notice",
    "carc": "claim adjustment reason code denial",
    "lcsw": "licensed clinical social worker",
    "lpc": "licensed professional counselor",
    "e/m": "evaluation and management",
    "em": "evaluation and management",
    "how often": "frequency interval every limit per",
    "how many": "number limit maximum",
    "how long": "deadline within days time limit",
    "how soon": "within days deadline timeliness",
    "how fast": "decision time within hours days",
    "deadline": "within days time limit",
    "cap": "limit maximum",
    "max": "maximum limit",
    "what changed": "changes revision history",
    "changed": "changes revision history",
    "new version": "changes revision history",
    "denied": "denial",
    "denial": "adverse determination",
    "appeal": "reconsideration",
    "corrected claim": "resubmission billing error",
    "kids": "children adolescents",
    "children": "child adolescent under 21",
    "minutes": "time",
}

# payer-id words that do not identify a payer on their own
_GENERIC = frozenset(
    """
    health healthcare behavioral behavioural baseline plan plans care medical mental services
    insurance group network the of and
    """.split()
)
EXPANSION_WEIGHT = 0.5


@dataclass
class QueryAnalysis:
    """What the search makes of a question."""

    text: str
    expansion: str = ""
    payers: list[str] = field(default_factory=list)


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text) is not None


def expansion_terms(query: str) -> str:
    """Service names of the codes and synonyms of the phrases in ``query`` (space separated)."""
    low = query.lower()
    extra = [name for code, name in CODE_NAMES.items() if code in low]
    extra.extend(words for phrase, words in SYNONYMS.items() if _contains(low, phrase))
    return " ".join(extra)


def payer_aliases(payers: Iterable[str]) -> dict[str, list[str]]:
    """Name -> payers it identifies, from the words of the payer ids ("lakeshore-health")."""
    out: dict[str, list[str]] = {}
    for payer in payers:
        for word in re.split(r"[-_.]", payer):
            if len(word) >= 4 and word not in _GENERIC and not word.isdigit():
                out.setdefault(word, []).append(payer)
    return out


def mentioned_payers(query: str, payers: Iterable[str]) -> list[str]:
    """Payers a question names, by the distinctive words of their ids."""
    low = query.lower()
    found: set[str] = set()
    for alias, owners in payer_aliases(payers).items():
        if _contains(low, alias) or _contains(low, alias + "'s"):
            found.update(owners)
    return sorted(found)


def analyse(query: str, payers: Iterable[str] = ()) -> QueryAnalysis:
    """Expansion terms and named payers of a question."""
    return QueryAnalysis(text=query, expansion=expansion_terms(query), payers=mentioned_payers(query, payers))


def sparse_query(analysis: QueryAnalysis) -> tuple[list[int], list[float]]:
    """(indices, values) of the lexical query: the words asked, the expansion at a lower weight.

    Term-frequency weights only; the IDF is multiplied in per payer (:mod:`retrieval.term_stats`).
    """
    weights = term_weights(analysis.text)
    for term, weight in term_weights(analysis.expansion).items():
        weights[term] = max(weights.get(term, 0.0), EXPANSION_WEIGHT * weight)
    return encode(weights)
