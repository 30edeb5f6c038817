"""Schema-driven fuzzing of the whole HTTP API (schemathesis over the OpenAPI spec): no input gives a 5xx.

Every operation is fuzzed as a clinician, a biller and an admin, so the generated requests get past
the role checks and reach the code behind them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from qdrant_client import QdrantClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from assistant.api.app import create_app
from assistant.auth.users import UserStore
from assistant.settings import Settings
from retrieval.policy_store import PolicyStore
from tests.retrieval.conftest import HashEmbedder

pytestmark = pytest.mark.slow
ROLES = ("clinician", "biller", "admin")
_TOKENS: dict[str, str] = {}
_STATUSES: Counter[int] = Counter()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    settings_ = Settings(data_dir=tmp_path_factory.mktemp("fuzz"), env="test", auth="required", max_input_bytes=20_000)
    application = create_app(settings_)
    with TestClient(application) as client:  # runs the lifespan (runtime, stores)
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        store = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
        store.ensure()
        runtime.__dict__["policy_store"] = store
        users = UserStore(runtime.engine)
        for role in ROLES:
            _TOKENS[role] = users.issue_token(users.create_user(f"fuzz {role}", role, "t1").id)
        yield application


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def fuzz_operation(operation: Any, max_examples: int, mode: GenerationMode = GenerationMode.POSITIVE) -> list[str]:
    """Send ``max_examples`` generated requests to one operation as every role; return the 5xx failures."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case: Any) -> None:
        for role in ROLES:  # the same generated request, sent by each role
            try:
                response = case.call_and_validate(headers={"Authorization": f"Bearer {_TOKENS[role]}"},
                                                  checks=[not_a_server_error])
                _STATUSES[response.status_code] += 1
            except Exception as exc:
                failures.append(f"{operation.label} as {role}: {type(exc).__name__}: {str(exc)[:300]}")

    try:
        run()
    except Unsatisfiable:  # an operation with nothing to violate (no parameters, no body) has no negative cases
        assert mode is GenerationMode.NEGATIVE
    return failures


def test_no_request_gets_a_server_error(api_schema: Any) -> None:
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        failures += fuzz_operation(result.ok(), max_examples=15)
        failures += fuzz_operation(result.ok(), max_examples=8, mode=GenerationMode.NEGATIVE)  # schema-violating
    assert failures == []
    reached = sum(n for code, n in _STATUSES.items() if code not in (401, 403))
    assert reached > 0.3 * sum(_STATUSES.values()), _STATUSES  # most requests got past auth to the handlers
    assert any(200 <= code < 300 for code in _STATUSES), _STATUSES


def test_schema_covers_the_case_and_audit_routes(api_schema: Any) -> None:
    paths = {result.ok().path for result in api_schema.get_all_operations()}
    assert {"/v1/cases/notes", "/v1/cases/{case_id}/decision", "/v1/audit/verify", "/v1/users"} <= paths
