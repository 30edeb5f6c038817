"""Versioned prompt registry.

Prompts are files ``prompts/<task>/v<N>.md.j2``; ``prompts/manifest.yaml`` names
the active version of each task. A released version is never edited: add
``v<N+1>`` and switch the manifest. Rendering uses Jinja ``StrictUndefined`` so a
missing variable is an error, and every rendering reports the sha256 of the
template it came from.

A template may split into a system and a user message with a line holding only
``=== user ===``; text before it is the system message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, TemplateError

PROMPTS_DIR = Path(__file__).resolve().parent
USER_MARKER = "=== user ==="


class PromptError(LookupError):
    """A prompt task or version is unknown, or its template failed to render."""


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt rendered for one call, with the identity of its template."""

    name: str
    version: str
    sha256: str
    system: str | None
    user: str

    @property
    def text(self) -> str:
        """The whole rendered prompt as one string."""
        return self.user if self.system is None else f"{self.system}\n\n{self.user}"

    def messages(self) -> list[dict[str, str]]:
        """Chat messages in OpenAI format."""
        out = [] if self.system is None else [{"role": "system", "content": self.system}]
        out.append({"role": "user", "content": self.user})
        return out


_env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)  # noqa: S701 - prompts are not HTML


@lru_cache(maxsize=1)
def manifest() -> dict[str, str]:
    """Active version per task, read from ``manifest.yaml``."""
    data = yaml.safe_load((PROMPTS_DIR / "manifest.yaml").read_text(encoding="utf-8")) or {}
    active = data.get("active", {})
    if not isinstance(active, dict):
        raise PromptError("prompts/manifest.yaml: 'active' must map task -> version")
    return {str(k): str(v) for k, v in active.items()}


def versions(task: str) -> list[str]:
    """All versions of a task on disk, oldest first."""
    folder = PROMPTS_DIR / task
    found = [p.name.removesuffix(".md.j2") for p in folder.glob("v*.md.j2")]
    return sorted(found, key=lambda v: int(v[1:]) if v[1:].isdigit() else 0)


def template_source(task: str, version: str | None = None) -> tuple[str, str]:
    """Return ``(version, source)`` of a task's template (active version by default)."""
    tasks = manifest()
    if version is None:
        if task not in tasks:
            raise PromptError(f"unknown prompt task {task!r}; known: {', '.join(sorted(tasks))}")
        version = tasks[task]
    path = PROMPTS_DIR / task / f"{version}.md.j2"
    if not path.is_file():
        raise PromptError(f"prompt {task}/{version} not found; versions: {versions(task)}")
    return version, path.read_text(encoding="utf-8")


def render(task: str, variables: dict[str, Any], version: str | None = None) -> RenderedPrompt:
    """Render a task's prompt with ``variables`` (every variable must be given)."""
    version, source = template_source(task, version)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    try:
        text = _env.from_string(source).render(**variables)
    except TemplateError as exc:
        raise PromptError(f"prompt {task}/{version}: {exc}") from exc
    system: str | None = None
    if USER_MARKER in text:
        head, _, text = text.partition(USER_MARKER)
        system = head.strip() or None
    return RenderedPrompt(task, version, digest, system, text.strip())
