"""The helper process: long texts analyzed half here, half there, with the same result."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails.deid import Deidentifier, get_deidentifier
from guardrails.parallel import HelperFailed, HelperProcess, halves, helper_wanted

LINES = [
    "Client reports sleeping about five hours a night and ruminating about work.",
    "Therapist reviewed the thought record and practiced cognitive restructuring.",
    "PHQ-9 today is 14, down from 18 four weeks ago; GAD-7 is 11.",
    "Client plans to walk twice this week and to call the crisis line if urges return.",
]


def long_note() -> str:
    """About 12,000 characters with identifiers near the start, the middle and the end."""
    body = [LINES[i % len(LINES)] for i in range(160)]
    body[3] = "Client's sister Marguerite Okonkwo-Hale drove her to the session."
    body[80] = "Call back at (617) 555-0142 about the referral."
    body[157] = "Seen on 03/14/2026 with her father, Desmond Ferreira."
    return "\n".join(body)


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[Deidentifier, HelperProcess]]:
    deidentifier = get_deidentifier()
    helper = HelperProcess(deidentifier.config)
    assert helper.warm(timeout=120), "the helper process did not start"
    yield deidentifier, helper
    helper.close()


def spans(deidentifier: Deidentifier, text: str, helper: HelperProcess | None) -> list[tuple[str, int, int]]:
    saved, deidentifier.helper = deidentifier.helper, helper
    try:
        return [(e.type, e.start, e.end) for e in deidentifier.analyze(text)]
    finally:
        deidentifier.helper = saved


def test_when_text_cut_in_two_then_at_the_line_break_nearest_the_middle() -> None:
    text = "aaaa\nbbbb\ncccc\ndddd\n"
    cut = halves(text)
    assert cut == 10 and text[cut - 1] == "\n"


def test_when_long_text_then_helper_finds_the_same_spans(shared: tuple[Deidentifier, HelperProcess]) -> None:
    deidentifier, helper = shared
    text = long_note()
    alone = spans(deidentifier, text, None)
    together = spans(deidentifier, text, helper)
    assert together == alone
    found = {text[s:e] for _, s, e in together}
    assert "(617) 555-0142" in found and "03/14/2026" in found  # the middle and the helper's half
    assert any("Desmond" in f for f in found) and any("Marguerite" in f for f in found)


def test_when_helper_dies_then_this_process_analyzes_and_logs_no_phi(
    shared: tuple[Deidentifier, HelperProcess], caplog: pytest.LogCaptureFixture
) -> None:
    deidentifier = shared[0]
    helper = HelperProcess(deidentifier.config)
    assert helper.warm(timeout=120)
    assert helper.process is not None
    helper.process.kill()  # the helper is killed mid-life
    helper.process.join()
    text = long_note()
    with caplog.at_level(logging.WARNING):
        result = spans(deidentifier, text, helper)
    assert result == spans(deidentifier, text, None)
    assert "helper" in caplog.text and "Desmond" not in caplog.text and "555-0142" not in caplog.text
    helper.close()


def test_when_short_text_then_no_helper_is_started() -> None:
    deidentifier = get_deidentifier()
    helper = HelperProcess(deidentifier.config)
    spans(deidentifier, LINES[0], helper)
    assert helper.process is None


@pytest.mark.parametrize(("value", "wanted"), [("0", False), ("1", True), ("2", True)])
def test_when_workers_set_then_helper_wanted_or_not(monkeypatch: pytest.MonkeyPatch, value: str, wanted: bool) -> None:
    monkeypatch.setenv("PARITY_DEID_WORKERS", value)
    assert helper_wanted() is wanted


def test_when_workers_not_a_number_then_error_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_DEID_WORKERS", "many")
    with pytest.raises(ValueError, match="PARITY_DEID_WORKERS"):
        helper_wanted()


def test_when_process_is_killed_then_its_helper_exits_too(tmp_path: Path) -> None:
    script = tmp_path / "serve.py"
    script.write_text(
        "import os, signal, sys\n"
        "from guardrails.deid import get_deidentifier\n"
        "if __name__ == '__main__':\n"
        "    d = get_deidentifier()\n"
        "    assert d.helper.warm(timeout=120)\n"
        "    print(d.helper.process.pid, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PARITY_DEID_WORKERS": "1", "PYTHONPATH": os.getcwd()}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180, check=False)
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(pid, 9)
    raise AssertionError("the helper process outlived the killed process")


def test_when_helper_is_busy_then_a_second_caller_works_alone(shared: tuple[Deidentifier, HelperProcess]) -> None:
    helper = shared[1]
    first = helper.submit(time.sleep, 0.5)
    assert first is not None
    assert helper.submit(len, "abc") is None  # one piece of work at a time: the caller does its own
    assert first.result() is None
    second = helper.submit(len, "abc")
    assert second is not None and second.result() == 3


def test_when_work_raises_in_the_helper_then_the_error_names_only_its_type(
    shared: tuple[Deidentifier, HelperProcess],
) -> None:
    pending = shared[1].submit(int, "Desmond Ferreira")
    assert pending is not None
    with pytest.raises(HelperFailed) as caught:
        pending.result()
    assert "ValueError" in str(caught.value) and "Desmond" not in str(caught.value)
    again = shared[1].submit(len, "ok")  # the pipe is still in step
    assert again is not None and again.result() == 2


def test_when_helper_dies_then_it_is_started_again_later_and_used(
    shared: tuple[Deidentifier, HelperProcess], caplog: pytest.LogCaptureFixture
) -> None:
    deidentifier = shared[0]
    helper = HelperProcess(deidentifier.config, restart_after_s=0.5)
    assert helper.warm(timeout=120)
    assert helper.process is not None
    helper.process.kill()
    helper.process.join()
    text = long_note()
    with caplog.at_level(logging.WARNING):
        assert spans(deidentifier, text, helper) == spans(deidentifier, text, None)  # done here meanwhile
    time.sleep(0.6)
    deadline = time.monotonic() + 120
    while not helper.ready and time.monotonic() < deadline:
        time.sleep(0.2)
    assert helper.ready, "the helper was not started again"
    pending = helper.submit(len, "abc")
    assert pending is not None and pending.result() == 3
    helper.close()
    assert helper.process is None and not helper.ready  # closed on purpose: no restart
