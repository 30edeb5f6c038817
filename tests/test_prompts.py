"""Prompt registry: manifest, strict rendering, sha256."""

from __future__ import annotations

import hashlib

import pytest

import prompts


def test_every_manifest_task_has_its_active_version_on_disk() -> None:
    for task, version in prompts.manifest().items():
        assert version in prompts.versions(task), task


def test_render_returns_text_and_template_sha256() -> None:
    out = prompts.render("gateway_selftest", {"statement": "Next session Friday."})
    source = (prompts.PROMPTS_DIR / "gateway_selftest" / "v1.md.j2").read_bytes()
    assert out.sha256 == hashlib.sha256(source).hexdigest()
    assert out.version == "v1"
    assert "Next session Friday." in out.user
    assert out.system and "JSON" in out.system
    assert [m["role"] for m in out.messages()] == ["system", "user"]


def test_missing_variable_is_an_error() -> None:
    with pytest.raises(prompts.PromptError, match="statement"):
        prompts.render("gateway_selftest", {})


def test_unknown_task_and_version_are_errors() -> None:
    with pytest.raises(prompts.PromptError, match="known"):
        prompts.render("no_such_task", {})
    with pytest.raises(prompts.PromptError, match="v99"):
        prompts.render("gateway_selftest", {"statement": "x"}, version="v99")
