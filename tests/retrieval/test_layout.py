"""One collection per version: IDF as one collection per payer gave it, scoped scoring, old stores moved."""

from __future__ import annotations

import datetime as dt

import pytest
from qdrant_client import QdrantClient, models

from retrieval.ingest import ingest_bytes
from retrieval.policy_layout import is_version_collection
from retrieval.policy_store import PolicyStore
from retrieval.query import analyse, sparse_query
from tests.retrieval.conftest import HashEmbedder, policy_md

BODIES = [
    "# 1. Coverage\n## 1.1 Necessity\nA covered diagnosis with documented symptoms and impairment.\n"
    "## 1.2 Extended sessions\n90837 requires a note on why 53 minutes or more were needed.\n"
    "# 2. Appeals\n## 2.1 Deadlines\nFile an appeal within 120 days of the denial notice.\n",
    "# 1. Coverage\n## 1.1 Necessity\nSymptoms, severity and functional impairment are documented.\n"
    "# 2. Telehealth\n## 2.1 Modifiers\nUse modifier 95 and place of service 10 for video visits.\n"
    "# 3. Appeals\n## 3.1 Deadlines\nAppeals are filed within 60 days; expedited appeals in 72 hours.\n",
    "# 1. Authorization\n## 1.1 Prior authorization\nPrior authorization after the twelfth visit.\n"
    "## 1.2 Crisis\nCrisis psychotherapy 90839 covers the first 60 minutes of a crisis session.\n",
]
QUESTIONS = [
    "appeal deadline after a denial",
    "extended 90837 session 53 minutes",
    "telehealth modifier for video visits",
    "prior authorization crisis session",
]


def _populated(client: QdrantClient) -> PolicyStore:
    store = PolicyStore(client, HashEmbedder())
    for i, body in enumerate(BODIES):
        for payer in ("alpha", "beta"):
            doc = policy_md(payer=payer, version=f"{i + 1}", effective_from=f"202{i + 3}-01-01", body=body)
            ingest_bytes(store, doc, f"{payer}{i}.md")
    ingest_bytes(store, policy_md(payer="alpha", policy_id="BH-T", body=BODIES[1]), "t.md", {"tenant": "t1"})
    return store


@pytest.fixture
def populated() -> PolicyStore:
    return _populated(QdrantClient(":memory:"))


def _to_old_layout(store: PolicyStore, keep_registry: bool = True) -> None:
    """Rewrite ``store`` as the previous code wrote it: one collection per payer with Qdrant's IDF."""
    client = store.client
    for name in store.collections():
        points, _ = client.scroll(name, limit=10_000, with_payload=True, with_vectors=True)
        payer = (points[0].payload or {})["payer"]
        old = store.collection_for(payer)
        if not client.collection_exists(old):
            client.create_collection(
                old,
                vectors_config={"dense": models.VectorParams(size=64, distance=models.Distance.COSINE)},
                sparse_vectors_config={"sparse": models.SparseVectorParams(modifier=models.Modifier.IDF)},
            )
        client.upsert(old, points=[models.PointStruct(id=p.id, vector=p.vector, payload=p.payload) for p in points])  # type: ignore[arg-type]
        client.delete_collection(name)
    if not keep_registry:  # the layout before the registry: no registry, no doc_key on passages
        client.delete_collection(store.registry)
        for payer in ("alpha", "beta"):
            ids = [str(p.id) for p in client.scroll(store.collection_for(payer), limit=1000)[0]]
            client.delete_payload(store.collection_for(payer), ["doc_key"], points=ids)
        return
    rows, _ = client.scroll(store.registry, limit=1000, with_payload=True)
    for row in rows:
        client.delete_payload(store.registry, ["df_terms", "df_counts"], points=[row.id])


def _idf_modifier_scores(store: PolicyStore, payer: str, question: str) -> dict[str, float]:
    """Sparse scores of ``question`` with Qdrant's IDF modifier on one collection of ``payer``'s passages."""
    indices, values = sparse_query(analyse(question))
    response = store.client.query_points(
        store.collection_for(payer),
        query=models.SparseVector(indices=indices, values=values),
        using="sparse",
        limit=100,
    )
    return {str(p.id): p.score for p in response.points}


@pytest.mark.parametrize("question", QUESTIONS)
def test_sparse_scores_are_those_of_qdrants_idf_modifier_on_one_collection_per_payer(question: str) -> None:
    new = _populated(QdrantClient(":memory:"))
    reference = _populated(QdrantClient(":memory:"))
    _to_old_layout(reference)
    for payer in ("alpha", "beta"):
        expected = _idf_modifier_scores(reference, payer, question)
        found = new.candidates(question, payer=payer, tenant="t1", mode="sparse", depth=100)
        got = {point_id: score for score, _, point_id in found.rankings["sparse"]}
        assert got.keys() == expected.keys() and got
        for point_id, score in expected.items():
            assert got[point_id] == pytest.approx(score, rel=1e-5)


def test_idf_counts_every_version_of_the_payer_not_only_the_admitted_ones(populated: PolicyStore) -> None:
    reference = _populated(QdrantClient(":memory:"))
    _to_old_layout(reference)
    expected = _idf_modifier_scores(reference, "alpha", "appeal deadline after a denial")
    found = populated.candidates("appeal deadline after a denial", payer="alpha", date=dt.date(2023, 6, 1))
    got = found.rankings["sparse"]
    assert got and all(score == pytest.approx(expected[point_id], rel=1e-5) for score, _, point_id in got)


def test_a_version_is_scored_only_by_searches_that_admit_it(
    populated: PolicyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = populated.client.query_batch_points

    def spy(collection_name: str, requests: object, **kwargs: object) -> object:
        asked.append(collection_name)
        return real(collection_name, requests, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(populated.client, "query_batch_points", spy)
    results = populated.search("appeal deadline", payer="beta", date=dt.date(2023, 6, 1), k=10)
    (row,) = populated.versions(payer="beta", date=dt.date(2023, 6, 1))
    assert results and asked == [populated.collection_of(row)] and row["version"] == "1"
    asked.clear()
    populated.search("appeal deadline", date=dt.date(2025, 6, 1), cpt="90837", k=10)
    admitted = {populated.collection_of(r) for r in populated.versions(date=dt.date(2025, 6, 1), cpt="90837")}
    assert sorted(asked) == sorted(admitted) and len(admitted) == 6  # both payers, three versions each
    asked.clear()
    assert populated.search("appeal deadline", payer="beta", date=dt.date(2020, 1, 1)) == [] and asked == []


def test_an_old_store_is_moved_to_one_collection_per_version_on_open(populated: PolicyStore) -> None:
    before = _rankings(populated, "appeal deadline", payer="alpha", tenant="t1")
    policies = populated.list_policies(tenant="t1")
    _to_old_layout(populated)
    assert not any(is_version_collection(n) for n in _names(populated))
    reopened = PolicyStore(populated.client, HashEmbedder())
    reopened.ensure()
    assert all(is_version_collection(n) for n in reopened.collections()) and len(reopened.collections()) == 7
    assert populated.collection_for("alpha") not in _names(reopened)
    assert reopened.count() == populated.count() and reopened.list_policies(tenant="t1") == policies
    assert _rankings(reopened, "appeal deadline", payer="alpha", tenant="t1") == before


def test_a_store_written_before_the_registry_is_registered_and_moved_on_open(populated: PolicyStore) -> None:
    policies = populated.list_policies(tenant="t1")
    _to_old_layout(populated, keep_registry=False)
    reopened = PolicyStore(populated.client, HashEmbedder())
    reopened.ensure()
    assert reopened.list_policies(tenant="t1") == policies
    assert reopened.search("appeal deadline", payer="lakeshore-health") == []
    assert reopened.search("appeal deadline", payer="beta", date=dt.date(2025, 6, 1), k=3)


def test_moving_drops_versions_the_registry_never_committed(populated: PolicyStore) -> None:
    (row,) = populated.versions(payer="beta", date=dt.date(2023, 6, 1))
    _to_old_layout(populated)
    populated.client.delete(populated.registry, points_selector=models.PointIdsList(points=[row["doc_key"]]))
    reopened = PolicyStore(populated.client, HashEmbedder())
    reopened.ensure()
    assert len(reopened.collections()) == 6 and populated.collection_of(row) not in reopened.collections()
    assert {r["version"] for r in reopened.list_policies() if r["payer"] == "beta"} == {"2", "3"}


@pytest.mark.parametrize("keep_registry", [True, False])
def test_an_interrupted_move_is_redone_on_the_next_open(
    populated: PolicyStore, monkeypatch: pytest.MonkeyPatch, keep_registry: bool
) -> None:
    expected = _rankings(populated, "telehealth video modifier", payer="alpha")
    policies = populated.list_policies(tenant="t1")
    _to_old_layout(populated, keep_registry)
    client = populated.client
    real_delete = client.delete_collection

    def failing_delete(collection_name: str, **kwargs: object) -> bool:
        if not is_version_collection(collection_name):
            raise ConnectionError("vector store went away")
        return real_delete(collection_name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(client, "delete_collection", failing_delete)
    with pytest.raises(ConnectionError):
        PolicyStore(client, HashEmbedder()).ensure()
    monkeypatch.undo()
    reopened = PolicyStore(client, HashEmbedder())
    reopened.ensure()
    assert all(is_version_collection(n) for n in reopened.collections()) and len(reopened.collections()) == 7
    assert _rankings(reopened, "telehealth video modifier", payer="alpha") == expected
    assert reopened.list_policies(tenant="t1") == policies


def _rankings(store: PolicyStore, question: str, **filters: str) -> dict[str, list[tuple[float, str]]]:
    """Per signal, the (score, point id) found, independent of how equal scores are ordered."""
    found = store.candidates(question, **filters)  # type: ignore[arg-type]
    return {signal: sorted((round(s, 5), i) for s, _, i in hits) for signal, hits in found.rankings.items()}


def _names(store: PolicyStore) -> list[str]:
    return [c.name for c in store.client.get_collections().collections]


def test_a_new_version_enters_the_idf_of_its_payer_at_once(populated: PolicyStore) -> None:
    question = "appeal deadline after a denial"
    populated.candidates(question, payer="alpha", mode="sparse")  # statistics read and cached
    doc = policy_md(payer="alpha", policy_id="BH-NEW", version="9", body=BODIES[0] + BODIES[0].replace("# ", "# 9"))
    ingest_bytes(populated, doc, "new.md")
    reference = _populated(QdrantClient(":memory:"))
    ingest_bytes(reference, doc, "new.md")
    _to_old_layout(reference)
    expected = _idf_modifier_scores(reference, "alpha", question)
    got = populated.candidates(question, payer="alpha", mode="sparse", depth=100).rankings["sparse"]
    assert got and all(score == pytest.approx(expected[point_id], rel=1e-5) for score, _, point_id in got)
