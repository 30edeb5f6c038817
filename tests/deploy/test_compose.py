"""deploy/compose.yaml: services, healthchecks, profiles, GPU reservation, secrets only from env."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.compose_env import MissingVariableError, interpolate, interpolate_tree, read_env_file

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SECRET_NAME = re.compile(r"(KEY|SECRET|PASSWORD|TOKEN)$")
FILLED = {"PARITY_SECRET_KEY": "s" * 40, "PARITY_VAULT_KEY": "v" * 40, "PARITY_LLM_API_KEY": "llm-key",
          "QDRANT_API_KEY": "qdrant-key", "POSTGRES_PASSWORD": "pg-pass", "LITELLM_MASTER_KEY": "sk-master"}


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def example_env() -> dict[str, str]:
    return read_env_file(DEPLOY / ".env.example")


def rendered(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The compose file with .env.example plus filled secrets, as compose would see it."""
    return interpolate_tree(compose(), env if env is not None else example_env() | FILLED)


def test_services_and_profiles() -> None:
    services = compose()["services"]
    assert set(services) == {"api", "vllm", "vllm-cpu", "litellm", "qdrant", "postgres"}
    assert "profiles" not in services["api"] and "profiles" not in services["qdrant"]
    assert "profiles" not in services["postgres"]
    assert services["vllm"]["profiles"] == ["gpu"]
    assert services["vllm-cpu"]["profiles"] == ["cpu"]
    assert services["litellm"]["profiles"] == ["router"]
    for name in ("vllm", "vllm-cpu"):  # either one answers as `llm`, so the api config never changes
        assert services[name]["networks"]["default"]["aliases"] == ["llm"]
    assert example_env()["COMPOSE_PROFILES"] == "gpu"


def test_every_service_has_a_healthcheck_and_the_api_waits_for_its_dependencies() -> None:
    services = rendered()["services"]
    for name, svc in services.items():
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert "/healthz" in " ".join(services["api"]["healthcheck"]["test"])
    for name in ("vllm", "vllm-cpu"):
        assert "/health" in " ".join(services[name]["healthcheck"]["test"])
    deps = services["api"]["depends_on"]
    assert deps["postgres"]["condition"] == deps["qdrant"]["condition"] == "service_healthy"
    for optional in ("vllm", "vllm-cpu", "litellm"):  # in profiles: the api starts with whichever runs
        assert deps[optional]["required"] is False


def test_api_is_scalable() -> None:
    api = rendered()["services"]["api"]
    assert "container_name" not in api
    assert int(api["deploy"]["replicas"]) >= 2
    assert all("-" in str(p).split(":")[0] for p in api["ports"]), "a host port range, so --scale works"
    assert api["volumes"] == ["parity-data:/var/lib/parity"], "replicas share the vault volume"
    env = api["environment"]
    assert env["PARITY_DATABASE_URL"] == "postgresql+psycopg://parity:pg-pass@postgres:5432/parity"
    assert env["PARITY_LLM_MODEL"].startswith("hosted_vllm/")
    assert env["PARITY_LLM_API_BASE"] == "http://llm:8000/v1"


def test_vllm_server_flags_and_gpu_reservation() -> None:
    vllm = rendered()["services"]["vllm"]
    args = dict(a.removeprefix("--").split("=", 1) for a in vllm["command"])
    assert args["model"] and int(args["max-model-len"]) >= 4096
    assert yaml.safe_load(args["structured-outputs-config"])["backend"] == "xgrammar"
    assert args["api-key"] == FILLED["PARITY_LLM_API_KEY"]
    (device,) = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"] and int(device["count"]) >= 1
    served = args["served-model-name"]
    assert rendered()["services"]["api"]["environment"]["PARITY_LLM_MODEL"] == f"hosted_vllm/{served}"
    cpu = dict(a.removeprefix("--").split("=", 1) for a in rendered()["services"]["vllm-cpu"]["command"])
    assert cpu["served-model-name"] == served, "the cpu profile serves under the same name"
    assert "deploy" not in rendered()["services"]["vllm-cpu"]


def _env_items(node: Any) -> list[tuple[str, str]]:
    env = node.get("environment", {})
    return list(env.items()) if isinstance(env, dict) else [tuple(e.split("=", 1)) for e in env]


def test_no_hard_coded_secrets() -> None:
    raw = compose()
    for name, svc in raw["services"].items():
        for key, value in _env_items(svc):
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Z0-9_]+(:?[?-][^}]*)?\}", str(value)), f"{name}.{key} = {value!r}"
        for arg in svc.get("command", []):
            if "key" in arg.lower() or "password" in arg.lower():
                assert "${" in arg, f"{name}: {arg}"
    url = raw["x-parity-env"]["PARITY_DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in url
    for key, value in example_env().items():
        if SECRET_NAME.search(key):
            assert value == "", f".env.example must not carry a value for {key}"


def test_compose_refuses_to_start_without_secrets() -> None:
    with pytest.raises(MissingVariableError, match="PARITY_VAULT_KEY"):
        rendered(example_env() | FILLED | {"PARITY_VAULT_KEY": ""})
    with pytest.raises(MissingVariableError, match="POSTGRES_PASSWORD"):
        rendered(example_env() | {k: v for k, v in FILLED.items() if k != "POSTGRES_PASSWORD"})


def test_litellm_router_config() -> None:
    config = yaml.safe_load((DEPLOY / "litellm" / "config.yaml").read_text(encoding="utf-8"))
    names = {m["model_name"] for m in config["model_list"]}
    assert sum(m["model_name"] == "parity-llm" for m in config["model_list"]) >= 2, "two replicas to balance"
    router = config["router_settings"]
    assert router["num_retries"] >= 1 and router["timeout"] > 0 and router["allowed_fails"] >= 1
    for rule in router["fallbacks"]:
        for primary, fallbacks in rule.items():
            assert primary in names and set(fallbacks) <= names
    for model in config["model_list"]:
        params = model["litellm_params"]
        assert params["api_key"].startswith("os.environ/") and params["api_base"].startswith("os.environ/")
        assert params["timeout"] > 0
    assert config["general_settings"]["master_key"].startswith("os.environ/")
    assert config["litellm_settings"]["drop_params"] is False, "response_format must reach vLLM"
    litellm = rendered()["services"]["litellm"]
    assert "/etc/litellm/config.yaml" in litellm["command"]
    provider_model = litellm["environment"]["VLLM_PROVIDER_MODEL"]
    assert provider_model.startswith("hosted_vllm/")
    assert not re.search(r"1\.82\.[78]\b", litellm["image"]), "compromised litellm releases"


def test_interpolation_rules() -> None:
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d} $${SET}", env) == "x d  d ${SET}"
    assert interpolate("${SET:+alt}${EMPTY:+alt}", env) == "alt"
    with pytest.raises(MissingVariableError):
        interpolate("${EMPTY:?no}", env)
    assert interpolate("${EMPTY?no}", env) == ""


def measured_max() -> tuple[int, int]:
    """Largest prompt and output (tokens) of any single call in deploy/capacity/measured.json."""
    import json

    data = json.loads((DEPLOY / "capacity" / "measured.json").read_text(encoding="utf-8"))
    tasks = [t for kind in ("note", "appeal") for t in data[kind]["tasks"].values()]
    return max(t["prompt_tokens"]["max"] for t in tasks), max(t["output_tokens"]["max"] for t in tasks)


def test_context_fits_the_largest_measured_call() -> None:
    prompt, output = measured_max()
    services = rendered()["services"]
    max_tokens = int(services["api"]["environment"]["PARITY_LLM_MAX_TOKENS"])
    assert max_tokens >= output, "the longest measured answer (an appeal letter) would be cut off"
    for name in ("vllm", "vllm-cpu"):
        args = dict(a.removeprefix("--").split("=", 1) for a in services[name]["command"])
        assert int(args["max-model-len"]) >= prompt + max_tokens, name
    helm = yaml.safe_load((DEPLOY / "helm" / "parity" / "values.yaml").read_text(encoding="utf-8"))
    assert helm["llm"]["maxTokens"] >= output
    assert helm["vllm"]["maxModelLen"] >= prompt + helm["llm"]["maxTokens"]
