"""deploy/helm/parity: values against the schema, template references, GPU, probes, secrets, policies.

Two routes. Always: ``values.yaml`` validates against ``values.schema.json`` (jsonschema) and every
``.Values.x.y`` a template reads exists in ``values.yaml``. When ``PARITY_HELM_PYTHON`` names a
python (>= 3.12) with ``helm-sdkpy`` (Helm's own engine as a shared library, offline): ``helm lint``
renders the templates with the default values and with the in-cluster Qdrant variant.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "deploy" / "helm" / "parity"
TEMPLATES = CHART / "templates"
VALUE_REF = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def values() -> dict[str, Any]:
    return yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))


def schema() -> dict[str, Any]:
    return json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def validate(data: dict[str, Any]) -> None:
    jsonschema.Draft7Validator.check_schema(schema())
    jsonschema.Draft7Validator(schema()).validate(data)


def test_default_values_match_the_schema() -> None:
    validate(values())


@pytest.mark.parametrize(("path", "bad"), [
    (("api", "replicaCount"), 0),
    (("vllm", "maxModelLen"), "8192"),
    (("vllm", "gpus"), 0),
    (("vllm", "structuredOutputsBackend"), "regex"),
    (("secrets", "existingSecret"), ""),
    (("llm", "model"), "Llama-3.1-8B"),  # no litellm provider prefix
    (("qdrant", "externalUrl"), "qdrant:6333"),
    (("api", "persistence", "size"), "lots"),
])
def test_when_a_value_is_wrong_then_the_schema_refuses_it(path: tuple[str, ...], bad: object) -> None:
    data = values()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_a_secret_value_cannot_be_put_in_values() -> None:
    data = values()
    data["secrets"]["vaultKey"] = "plain-text-key"
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        validate(data)


def _exists(data: Any, dotted: str) -> bool:
    node = data
    for key in dotted.strip(".").split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def test_every_template_reference_exists_in_values() -> None:
    data = values()
    refs = {(f.name, m.group(1)) for f in TEMPLATES.iterdir() for m in VALUE_REF.finditer(f.read_text())}
    assert len(refs) > 40
    missing = sorted(f"{name}: .Values{ref}" for name, ref in refs if not _exists(data, ref))
    assert not missing, missing


def test_chart_declares_the_official_qdrant_chart_as_an_optional_dependency() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    assert chart["apiVersion"] == "v2"
    (dep,) = chart["dependencies"]
    assert dep["name"] == "qdrant" and dep["repository"] == "https://qdrant.github.io/qdrant-helm"
    assert dep["condition"] == "qdrant.enabled" and values()["qdrant"]["enabled"] is False
    assert values()["qdrant"]["config"]["collection"]["replication_factor"] >= 2


def test_vllm_requests_gpus_and_is_ready_on_health() -> None:
    text = template("vllm-deployment.yaml")
    assert text.count("nvidia.com/gpu: {{ .Values.vllm.gpus }}") == 2, "requests and limits"
    probe = text[text.index("readinessProbe:"):text.index("livenessProbe:")]
    assert "path: /health," in probe
    for flag in ("--max-model-len=", "--structured-outputs-config=", "--served-model-name="):
        assert flag in text
    assert "name: VLLM_API_KEY" in text and "secretKeyRef" in text, "--api-key comes from the Secret"


def test_api_deployment_service_and_hpa() -> None:
    deployment = template("api-deployment.yaml")
    assert "{{- if not .Values.api.autoscaling.enabled }}\n  replicas:" in deployment, "the HPA owns replicas"
    assert "runAsNonRoot: true" in deployment and "readOnlyRootFilesystem: true" in deployment
    assert "path: /healthz" in deployment
    hpa = template("api-hpa.yaml")
    assert "kind: HorizontalPodAutoscaler" in hpa and "apiVersion: autoscaling/v2" in hpa
    assert "{{ include \"parity.fullname\" . }}-api" in hpa
    assert "kind: Service" in template("api-service.yaml")


def test_secrets_come_from_the_existing_secret_only() -> None:
    deployment = template("api-deployment.yaml")
    for env in ("PARITY_SECRET_KEY", "PARITY_VAULT_KEY", "PARITY_DATABASE_URL", "PARITY_LLM_API_KEY",
                "PARITY_QDRANT_API_KEY"):
        block = deployment[deployment.index(f"name: {env}"):][:200]
        assert "secretKeyRef: {name: {{ .Values.secrets.existingSecret }}" in block, env
    assert not any("kind: Secret" in f.read_text() for f in TEMPLATES.iterdir()), "the chart creates no Secret"


def test_network_policies_let_only_the_api_reach_vllm_and_qdrant() -> None:
    docs = template("networkpolicy.yaml").split("\n---\n")
    by_target = {}
    for doc in docs:
        name = re.search(r"name: \{\{ include \"parity.fullname\" \. \}\}-(\w+)", doc)
        assert name, doc
        by_target[name.group(1)] = doc
    assert set(by_target) == {"vllm", "qdrant", "api"}
    for target in ("vllm", "qdrant"):
        ingress = by_target[target][by_target[target].index("ingress:"):]
        first_rule = ingress.split("- from:")[1]
        assert "app.kubernetes.io/component: api" in first_rule
        assert "namespaceSelector" not in by_target[target] and "ipBlock" not in by_target[target]
    assert "port: 6335" in by_target["qdrant"], "Qdrant peers replicate among themselves"


HELM_PYTHON = os.environ.get("PARITY_HELM_PYTHON", "")  # read at import: the autouse fixture clears PARITY_*


def _helm_python() -> str | None:
    return HELM_PYTHON if HELM_PYTHON and Path(HELM_PYTHON).exists() else None


LINT = """
import asyncio, json, sys
from helm_sdkpy import Configuration
from helm_sdkpy.chart import Lint
print(json.dumps(asyncio.run(Lint(Configuration()).run(sys.argv[1]))))
"""


def _lint(python: str, chart: Path) -> dict[str, Any]:
    out = subprocess.run([python, "-c", LINT, str(chart)], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(_helm_python() is None, reason="set PARITY_HELM_PYTHON to a python with helm-sdkpy")
def test_helm_lint_renders_the_chart(tmp_path: Path) -> None:
    python = _helm_python()
    assert python is not None
    result = _lint(python, CHART)
    assert result["Errors"] is None and max(m["Severity"] for m in result["Messages"]) < 3, result
    variant = tmp_path / "parity"
    shutil.copytree(CHART, variant)
    data = values()
    data["qdrant"]["enabled"] = True
    data["api"]["autoscaling"]["enabled"] = False
    data["llm"]["externalApiBase"] = "http://litellm:4000"
    (variant / "values.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _lint(python, variant)
    assert result["Errors"] is None, result
    data["api"]["replicaCount"] = 0  # the schema is enforced by helm too
    (variant / "values.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _lint(python, variant)["Errors"], "helm lint accepted replicaCount 0"
