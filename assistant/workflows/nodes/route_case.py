"""route_case: who owns the case (the routes the rules gave)."""

from __future__ import annotations

from typing import Any

from assistant.workflows.state import AppealState


def route_case(state: AppealState) -> dict[str, Any]:
    """Routes in order; the first is the owner queue."""
    return {"routes": list(state["classification"]["routes"])}
