"""Ingestion, versions in force, hard filters, rejection of bad documents, result shape."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.ingest import PolicyRejectedError, ingest_bytes
from retrieval.policy_store import PolicyConflictError, PolicyStore
from tests.retrieval.conftest import policy_md


def test_reingesting_the_same_version_changes_nothing(store: PolicyStore) -> None:
    assert ingest_bytes(store, policy_md(), "p.md").status == "added"
    count = store.count()
    assert ingest_bytes(store, policy_md(), "p.md").status == "unchanged"
    assert store.count() == count


def test_changed_content_under_an_existing_version_is_refused(store: PolicyStore) -> None:
    ingest_bytes(store, policy_md(), "p.md")
    with pytest.raises(PolicyConflictError, match="immutable"):
        ingest_bytes(store, policy_md(body="# 1. Changed\nNew text.\n"), "p.md")


def test_a_new_version_adds_chunks_and_date_selects_the_version_in_force(store: PolicyStore) -> None:
    ingest_bytes(
        store, policy_md(version="2024.2", effective_from="2024-01-01", effective_to="2024-12-31"), "a.md"
    )
    before = store.count()
    ingest_bytes(store, policy_md(version="2025.1", effective_from="2025-01-01"), "b.md")
    assert store.count() == 2 * before
    in_2024 = store.search("appeal deadline", date=dt.date(2024, 6, 1), k=10)
    in_2025 = store.search("appeal deadline", date=dt.date(2025, 6, 1), k=10)
    assert in_2024 and {r.version for r in in_2024} == {"2024.2"}
    assert in_2025 and {r.version for r in in_2025} == {"2025.1"}
    assert store.search("appeal deadline", date=dt.date(2023, 6, 1)) == []


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (policy_md(payer=""), "payer"),
        (b"---\npayer: x\npolicy_id: P\ntitle: T\nversion: '1'\n---\n# 1. A\ntext\n", "effective_from"),
        (policy_md(effective_from="2025-01-01", effective_to="2024-01-01"), "effective_to"),
        (policy_md(codes='["not-a-code"]'), "codes"),
        (b"---\npayer: [unclosed\n---\n# 1. A\n", "YAML"),
    ],
)
def test_bad_documents_are_rejected_and_nothing_is_written(
    store: PolicyStore, doc: bytes, message: str
) -> None:
    with pytest.raises(PolicyRejectedError, match=message):
        ingest_bytes(store, doc, "bad.md")
    assert store.count() == 0


def test_unreadable_pdf_is_rejected(store: PolicyStore) -> None:
    with pytest.raises(PolicyRejectedError, match="PDF"):
        ingest_bytes(store, b"%PDF-1.4 this is not really a pdf", "broken.pdf", {"payer": "x"})
    assert store.count() == 0


def test_failed_write_leaves_no_half_indexed_version(
    store: PolicyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "".join(f"# {i}. Section {i}\n" + "Criterion text. " * 30 + "\n" for i in range(1, 400))
    calls = {"n": 0}
    real_upsert = store.client.upsert

    def failing_upsert(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("vector store went away")
        return real_upsert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.client, "upsert", failing_upsert)
    with pytest.raises(ConnectionError):
        ingest_bytes(store, policy_md(body=body), "big.md")
    assert store.count() == 0


def test_search_result_shape_and_get_section(store: PolicyStore) -> None:
    ingest_bytes(store, policy_md(), "p.md")
    (hit, *_) = store.search("53 minutes extended 90837", payer="lakeshore-health", cpt="90837", k=3)
    assert set(hit.model_dump()) >= {
        "chunk_id",
        "policy_id",
        "payer",
        "title",
        "version",
        "section",
        "page",
        "text",
        "score",
        "effective_from",
        "effective_to",
    }
    assert hit.section == "1.2" and hit.policy_id == "BH-OP-12"
    (got,) = store.get("BH-OP-12", "2.1", payer="lakeshore-health")
    assert "120 days" in got.text


PAYERS = ["alpha", "beta", "gamma"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payer=st.sampled_from(PAYERS),
    day=st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2026, 12, 31)),
    cpt=st.sampled_from([None, "90834", "90837", "90847"]),
)
def test_filters_are_hard(populated: PolicyStore, payer: str, day: dt.date, cpt: str | None) -> None:
    results = populated.search("appeal documentation criteria session", payer=payer, date=day, cpt=cpt, k=20)
    for r in results:
        assert r.payer == payer
        assert r.effective_from <= day and (r.effective_to is None or day <= r.effective_to)
    if cpt == "90847":
        assert results == []


@pytest.fixture(scope="module")
def populated() -> PolicyStore:
    from qdrant_client import QdrantClient

    from tests.retrieval.conftest import HashEmbedder

    s = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
    for payer in PAYERS:
        ingest_bytes(
            s,
            policy_md(payer=payer, version="1", effective_from="2023-01-01", effective_to="2024-06-30"),
            "a.md",
        )
        ingest_bytes(s, policy_md(payer=payer, version="2", effective_from="2024-07-01"), "b.md")
    return s


def test_tenants_never_see_each_others_policies(store: PolicyStore) -> None:
    ingest_bytes(store, policy_md(payer="alpha"), "a.md", {"tenant": "practice-a"})
    ingest_bytes(store, policy_md(payer="beta"), "b.md", {"tenant": "practice-b"})
    assert {r.payer for r in store.search("appeal", tenant="practice-a", k=20)} == {"alpha"}
    assert store.search("appeal", k=20) == []  # public only


def test_a_payer_named_in_the_question_never_overrides_the_payer_filter(populated: PolicyStore) -> None:
    results = populated.search("beta appeal deadline", payer="alpha", k=20)
    assert results and {r.payer for r in results} == {"alpha"}


def test_without_a_payer_filter_the_named_payer_ranks_first(populated: PolicyStore) -> None:
    results = populated.search("gamma appeal deadline", date=dt.date(2025, 1, 1), k=6)
    assert [r.payer for r in results[:2]] == ["gamma", "gamma"]
    assert {r.payer for r in results} == {"alpha", "beta", "gamma"}  # others still follow


def test_results_are_checked_against_the_filters_even_if_the_registry_is_wrong(store: PolicyStore) -> None:
    ingest_bytes(
        store,
        policy_md(payer="alpha", version="1", effective_from="2023-01-01", effective_to="2023-12-31"),
        "a.md",
    )
    # corrupt the registry: claim version 1 is in force in 2025
    (row,) = store.versions(payer="alpha")
    store.client.set_payload(
        store.registry, {"effective_to_day": 99991231}, points=[row["doc_key"]], wait=True
    )
    assert store.versions(payer="alpha", date=dt.date(2025, 6, 1))
    assert store.search("appeal deadline", payer="alpha", date=dt.date(2025, 6, 1)) == []


def test_a_version_is_searchable_only_once_registered(
    store: PolicyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_upsert = store.client.upsert

    def failing_registry(collection_name: str, *args: object, **kwargs: object) -> object:
        if collection_name == store.registry:
            raise ConnectionError("vector store went away")
        return real_upsert(collection_name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.client, "upsert", failing_registry)
    with pytest.raises(ConnectionError):
        ingest_bytes(store, policy_md(), "p.md")
    monkeypatch.undo()
    assert store.count() == 0 and store.search("appeal", k=20) == []
    assert ingest_bytes(store, policy_md(), "p.md").status == "added"
    assert store.search("appeal", k=20)
