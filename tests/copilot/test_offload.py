"""Half of a long note's detectors in the helper process: the same checklist as in one process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest

from assistant.copilot import offload
from assistant.copilot.checker import NoteChecker
from assistant.copilot.models import CheckRequest
from assistant.copilot.rulepacks import get_registry
from guardrails.deid import get_deidentifier
from guardrails.parallel import HelperProcess

SESSION = [
    "Client reports panic attacks three times a week, PHQ-9 = 17, and missed two shifts at work because of them.",
    "Therapist used cognitive restructuring and paced breathing; client completed a thought record in session.",
    "Client denies SI/HI; safety plan reviewed and updated with the crisis line number.",
    "Client rated anxiety 6/10, down from 8/10 last week, and is making progress toward the exposure goal.",
    "Continued weekly psychotherapy is medically necessary to prevent relapse of panic disorder.",
]
NOTE = "\n".join(
    ["Dx: F41.0 Panic disorder", "Start 10:00, End 10:55 (55 minutes), individual session in office."]
    + [SESSION[i % len(SESSION)] + f" (visit {i})" for i in range(40)]
    + ["Plan: weekly sessions; next visit in one week.", "Signed: [PROVIDER_1], LCSW 03/14/2026"]
)


class Spy:
    """An offload that runs work on a thread (or fails it) and remembers what it was sent."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[set[str]] = []
        self.fail = fail

    def submit(self, fn: Any, /, *args: Any) -> Future[Any]:
        self.sent.append(set(args[1]))
        future: Future[Any] = Future()
        if self.fail:
            future.set_exception(RuntimeError("helper gone"))
        else:
            future.set_result(fn(*args))
        return future


def check(offload_to: Any, note: str = NOTE) -> dict[str, Any]:
    checker = NoteChecker(get_registry(), get_deidentifier(), offload=offload_to)
    response = asyncio.run(checker.check(CheckRequest(note=note, cpt="90837", minutes=55)))
    out = response.model_dump()
    out.pop("elapsed_ms")
    return out


@pytest.fixture(scope="module")
def helper() -> Iterator[HelperProcess]:
    process = HelperProcess(get_deidentifier().config)
    assert process.warm(timeout=120), "the helper process did not start"
    assert offload.warm(process)
    yield process
    process.close()


def test_when_note_is_long_then_the_helper_gives_the_same_checklist(helper: HelperProcess) -> None:
    alone = check(None)
    assert check(helper) == alone
    assert {i["element"]: i["status"] for i in alone["items"]}["risk_assessment"] == "met"


def test_when_note_is_long_then_only_the_offloaded_elements_are_sent() -> None:
    spy = Spy()
    check(spy)
    assert len(spy.sent) == 1
    assert spy.sent[0] and spy.sent[0] <= offload.OFFLOADED
    assert "diagnosis" not in spy.sent[0]


def test_when_note_is_short_then_nothing_is_sent() -> None:
    spy = Spy()
    check(spy, "Dx: F41.0 Panic disorder. Client denies SI/HI; safety plan reviewed.")
    assert spy.sent == []


def test_when_the_helper_fails_then_its_elements_are_detected_here(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert check(Spy(fail=True)) == check(None)
    assert "helper" in caplog.text


def test_when_a_local_detector_raises_then_the_helper_answer_is_still_read(
    helper: HelperProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(doc: Any, options: dict[str, Any]) -> Any:
        raise ValueError("broken detector")

    monkeypatch.setitem(offload.DETECTORS, "diagnosis", broken)
    with pytest.raises(ValueError, match="broken detector"):
        check(helper)
    monkeypatch.undo()
    assert check(helper) == check(None)  # the pipe is in step: the next check works
