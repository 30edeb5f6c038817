"""Rule packs: loading, inheritance, versions by date, errors, citation resolution."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from assistant.copilot.citations import CitationResolver
from assistant.copilot.rulepacks import (
    ELEMENT_IDS,
    GENERAL_ELEMENTS,
    RulePackError,
    RulePackRegistry,
    get_registry,
)
from retrieval.ingest import ingest_paths
from retrieval.policy_store import PolicyStore
from tests.retrieval.conftest import HashEmbedder

CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"
PAYERS = ["brightpath-behavioral", "lakeshore-health", "medicare-baseline", "summit-medicaid"]


def test_every_sample_payer_has_a_pack_and_baseline_covers_every_element() -> None:
    registry = get_registry()
    assert registry.payers == PAYERS
    baseline = registry.resolve(None, dt.date(2025, 3, 1))
    assert set(baseline.elements) == set(ELEMENT_IDS)
    assert {"90791", "90832", "90834", "90837", "90839", "90840", "90846", "90847", "90853", "90785"} <= set(baseline.codes)


def test_code_specific_elements_apply_only_to_their_codes() -> None:
    pack = get_registry().resolve(None, dt.date(2025, 3, 1))
    assert set(pack.elements_for(["90834"])) == set(GENERAL_ELEMENTS)
    assert "extended_session_justification" in pack.elements_for(["90837"])
    assert "crisis_elements" in pack.elements_for(["90839", "90840"])
    assert "family_focus" in pack.elements_for(["90847"])
    assert "interactive_complexity_factor" in pack.elements_for(["90834", "90785"])


@pytest.mark.parametrize("payer", PAYERS)
def test_payer_pack_inherits_baseline_and_cites_its_policies(payer: str) -> None:
    pack = get_registry().resolve(payer, dt.date(2025, 3, 1))
    assert pack.extends == "baseline"
    assert set(pack.elements) == set(ELEMENT_IDS)  # inherited from the baseline
    assert pack.codes["90837"].min_minutes == 53  # inherited code rules
    assert all(pack.elements[e].citations for e in GENERAL_ELEMENTS), "each element cites its payer's policy"
    assert pack.telehealth.citations


def test_versions_are_chosen_by_date_of_service() -> None:
    registry = get_registry()
    old = registry.resolve("lakeshore-health", dt.date(2024, 6, 1))
    new = registry.resolve("lakeshore-health", dt.date(2025, 6, 1))
    assert (old.version, new.version) == ("2024.2", "2025.1")
    assert "measure_within_days" not in old.elements["extended_session_justification"].options
    assert new.elements["extended_session_justification"].options["measure_within_days"] == 30


def test_payer_options_override_the_baseline() -> None:
    registry = get_registry()
    assert registry.resolve("brightpath-behavioral", dt.date(2025, 3, 1)).elements["time_documentation"].options["require_clock_times"]
    assert "require_clock_times" not in registry.resolve(None).elements["time_documentation"].options


def test_unknown_payer_lists_the_known_ones() -> None:
    with pytest.raises(RulePackError, match="known payers: brightpath-behavioral, lakeshore-health"):
        get_registry().resolve("acme-health")


def test_date_before_any_version_is_an_error() -> None:
    with pytest.raises(RulePackError, match="in force on 2020-01-01"):
        get_registry().resolve("brightpath-behavioral", dt.date(2020, 1, 1))


def _write(tmp_path: Path, pack: str, version: str, body: str) -> None:
    folder = tmp_path / pack
    folder.mkdir(exist_ok=True)
    (folder / f"{version}.yaml").write_text(body, encoding="utf-8")


def test_unknown_element_id_is_rejected_with_its_name(tmp_path: Path) -> None:
    base = (Path(__file__).resolve().parents[2] / "assistant" / "rulepacks" / "baseline" / "2024.1.yaml").read_text()
    _write(tmp_path, "baseline", "2024.1", base)
    _write(tmp_path, "acme", "1", "id: acme\nversion: '1'\ntitle: t\npayer: acme\nextends: baseline\n"
           "effective_from: 2025-01-01\nelements:\n  mood_vibes:\n    label: x\n")
    with pytest.raises(RulePackError, match="mood_vibes"):
        RulePackRegistry(tmp_path)


def test_pack_id_must_match_its_folder(tmp_path: Path) -> None:
    _write(tmp_path, "acme", "1", "id: other\nversion: '1'\n")
    with pytest.raises(RulePackError, match="folder name"):
        RulePackRegistry(tmp_path)


def test_citations_resolve_to_the_passage_in_force() -> None:
    store = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
    store.ensure()
    ingest_paths(store, [CORPUS])
    resolver = CitationResolver(store)
    pack = get_registry().resolve("lakeshore-health", dt.date(2025, 3, 1))
    citation = pack.elements["extended_session_justification"].citations[0]
    out = resolver.resolve(citation, "lakeshore-health", dt.date(2025, 3, 1))
    assert out.chunk_id and out.quote
    hit = next(h for h in store.get(citation.policy_id, citation.section, payer="lakeshore-health") if h.chunk_id == out.chunk_id)
    assert hit.version == "2025.1"
    assert CitationResolver(None).resolve(citation, "lakeshore-health", None).chunk_id is None
