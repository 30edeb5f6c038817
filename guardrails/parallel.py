"""A helper process that analyzes half of a long text while this process analyzes the other half.

De-identification is most of the cost of a co-pilot check (a 1,500-word note spends about
two thirds of its time in spaCy's NER and ninety-odd regular expressions) and all of it
holds the GIL, so threads do not help. A second process with its own copy of the analyzer
does: the text is cut at a line break near its middle, the helper analyzes the second half,
this process the first, and the raw detections are merged before the usual filtering. The
result is what a single process finds.

The helper is started by long-running processes (``parity serve``, the benchmarks) with
:meth:`HelperProcess.warm`, never by a one-shot command, which would wait at exit for a
helper it no longer needs; until it has answered once, texts are analyzed here alone. It is a ``spawn``ed
process (no fork of a process holding threads and locks). Nothing is logged from it.
``PARITY_DEID_WORKERS=0`` turns it off.

It is the machine's second core at work, so it also takes other CPU-bound work on data free
of identifiers through :meth:`HelperProcess.submit`: the co-pilot runs the detectors of half
of a long note's elements there, on the de-identified note (``assistant.copilot.offload``).
Across the pipe go chunks of text and span offsets, and de-identified notes and findings.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from presidio_analyzer import RecognizerResult

if TYPE_CHECKING:
    from guardrails.deid import DeidConfig, Deidentifier

log = logging.getLogger(__name__)
Span = tuple[str, int, int, float, str | None]
T = TypeVar("T")
_WORKER: Deidentifier | None = None


class HelperFailed(RuntimeError):
    """The helper process could not do a piece of work (it died, or the work raised there)."""


def helper_wanted() -> bool:
    """Whether ``PARITY_DEID_WORKERS`` (default: 1 with two or more cores) asks for a helper."""
    raw = os.environ.get("PARITY_DEID_WORKERS", "").strip()
    if not raw:
        return (os.cpu_count() or 1) >= 2
    try:
        return int(raw) > 0
    except ValueError as exc:
        raise ValueError(f"PARITY_DEID_WORKERS must be a whole number, got {raw!r}") from exc


def _serve(conn: Connection, config: DeidConfig) -> None:
    """The helper's life: build the analyzer, say so, then run each (function, arguments) it is sent."""
    global _WORKER
    os.environ["PARITY_DEID_WORKERS"] = "0"  # the helper has no helper of its own
    logging.disable(logging.CRITICAL)  # nothing from the helper reaches a log
    parent = multiprocessing.parent_process()
    if parent is not None:  # a helper never outlives its process (a crash or kill -9 of the server)
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    from guardrails.deid import Deidentifier

    _WORKER = Deidentifier(config)
    conn.send(("ready", None))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except Exception as exc:  # the type only: a message could hold text from the note
            reply = ("error", type(exc).__name__)
        conn.send(reply)


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _analyze(chunks: list[tuple[int, str]]) -> list[Span]:
    assert _WORKER is not None
    key = RecognizerResult.RECOGNIZER_NAME_KEY
    return [(r.entity_type, r.start, r.end, r.score, (r.recognition_metadata or {}).get(key))
            for r in _WORKER.raw_results(chunks)]


def _result(span: Span) -> RecognizerResult:
    entity, start, end, score, recognizer = span
    return RecognizerResult(entity, start, end, score, recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer})


def halves(text: str) -> int:
    """Where to cut ``text`` in two: after the line break (else the space) nearest its middle."""
    middle = len(text) // 2
    for sep in ("\n", " "):
        before, after = text.rfind(sep, 0, middle), text.find(sep, middle)
        options = [i + 1 for i in (before, after) if i != -1]
        if options:
            return min(options, key=lambda i: abs(i - middle))
    return middle


class Pending(Generic[T]):
    """Work sent to the helper; call :meth:`result` (or :meth:`abandon`) exactly once.

    The pipe carries one piece of work at a time and is held until its answer is read.
    """

    def __init__(self, helper: HelperProcess, conn: Connection) -> None:
        """Remember where the answer will come from."""
        self._helper = helper
        self._conn = conn
        self._done = False

    def result(self, timeout: float | None = None) -> T:
        """Wait for the helper's answer; :class:`HelperFailed` when it died, timed out or the work raised there."""
        if self._done:
            raise RuntimeError("the helper's answer was already read")
        self._done = True
        try:
            try:
                if timeout is not None and not self._conn.poll(timeout):
                    self._helper._lost("de-identification helper process did not answer in time; stopped it")
                    raise HelperFailed("the helper process did not answer in time")
                status, value = self._conn.recv()
            except (EOFError, OSError):
                self._helper._lost("de-identification helper process is gone; working in this process only")
                raise HelperFailed("the helper process is gone") from None
            if status != "ok":
                raise HelperFailed(f"the work raised {value} in the helper process")
            return value  # type: ignore[no-any-return]
        finally:
            self._helper._busy.release()

    def abandon(self) -> None:
        """Wait for the answer and drop it (the caller failed; the pipe must stay in step)."""
        with contextlib.suppress(HelperFailed):
            self.result()


class HelperProcess:
    """One helper process for the long texts of one :class:`~guardrails.deid.Deidentifier`.

    It talks over one pipe, written and read by the calling thread itself: a process pool's
    feeder and result threads need the GIL that this process's own half of the work holds,
    which delayed each hand-over by a thread switch interval (5 ms) or more. One piece of
    work is in flight at a time; a caller that finds the helper busy (another request) does
    all of its work itself rather than wait.
    """

    def __init__(self, config: DeidConfig, restart_after_s: float = 60.0) -> None:
        """Remember the configuration; the process starts with :meth:`start` or :meth:`warm`.

        A helper that dies (killed for memory, say) is started again ``restart_after_s``
        seconds later, when work next asks for it, twice as late after each further loss
        until one starts; until then work is done here.
        """
        self.config = config
        self.min_chars = config.parallel_min_chars
        self.restart_after_s = restart_after_s
        self.process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready = False
        self._restart_at: float | None = None
        self._losses = 0  # since the helper last started
        self._busy = threading.Lock()  # held from sending a piece of work until its answer is read
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Start the helper in the background (long-running processes: a server, an eval run)."""
        with self._start_lock:
            if self.process is None:
                context = multiprocessing.get_context("spawn")
                parent, child = context.Pipe()
                process = context.Process(target=_serve, args=(child, self.config), daemon=True,
                                          name="parity-deid-helper")
                process.start()
                child.close()
                self.process, self._conn, self._ready = process, parent, False

    def warm(self, timeout: float | None = 60.0) -> bool:
        """Start the helper now and wait until it has loaded (servers and benchmarks); True when up."""
        self.start()
        with self._busy:
            self._read_ready(timeout)
        if not self._ready:
            log.warning("de-identification helper process did not start; analyzing in this process only")
        return self._ready

    def _read_ready(self, timeout: float | None) -> None:
        """Take the helper's "ready" message if it has come (the caller holds ``_busy``)."""
        conn = self._conn
        if self._ready or conn is None:
            return
        try:
            if conn.poll(timeout):
                self._ready = conn.recv()[0] == "ready"
                self._losses = 0
        except (EOFError, OSError):
            self._lost("de-identification helper process failed to start; analyzing in this process only")

    @property
    def ready(self) -> bool:
        """Whether the helper has started and loaded (never waits; starts a lost helper again when due)."""
        restart_at = self._restart_at
        if self.process is None and restart_at is not None and time.monotonic() >= restart_at:
            self._restart_at = None
            log.warning("starting the de-identification helper process again")
            self.start()
        if not self._ready and self._conn is not None and self._busy.acquire(blocking=False):
            try:
                self._read_ready(0)
            finally:
                self._busy.release()
        return self._ready

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Pending[T] | None:
        """Send ``fn(*args)`` to the helper (a picklable module-level function); None when it is not up or busy.

        Besides de-identification, for CPU-bound work on data free of identifiers (the co-pilot
        sends its detectors a de-identified note).
        """
        if not self.ready or not self._busy.acquire(blocking=False):
            return None
        conn = self._conn
        try:
            if conn is None:
                raise OSError("no helper")
            conn.send((fn, args))  # pickled before anything is written: a pickling error leaves the pipe clean
        except OSError:
            self._lost("de-identification helper process is gone; working in this process only")
            self._busy.release()
            return None
        except BaseException:
            self._busy.release()
            raise
        return Pending(self, conn)

    def raw_results(self, deidentifier: Deidentifier, text: str) -> list[RecognizerResult]:
        """The detections in ``text``, with its later half analyzed by the helper when it is up."""
        from guardrails.deid import split_chunks

        size = self.config.chunk_chars
        pending = None
        if len(text) >= self.min_chars:
            cut = halves(text)
            second = [(cut + o, c) for o, c in split_chunks(text[cut:], size)]
            pending = self.submit(_analyze, second)
        if pending is None:  # short, not started, still loading, busy with another request, or gone
            return deidentifier.raw_results(split_chunks(text, size))
        try:
            mine = deidentifier.raw_results(split_chunks(text[:cut], size))
        except BaseException:
            pending.abandon()
            raise
        try:
            theirs = [_result(s) for s in pending.result()]
        except HelperFailed:  # analyze its half here
            log.warning("de-identification helper process failed; analyzing its half in this process")
            theirs = deidentifier.raw_results(second)
        return mine + theirs

    def _lost(self, message: str) -> None:
        """Forget a helper that died; work asking for it after the restart delay starts a new one."""
        log.warning(message)
        process, conn = self.process, self._conn
        self.process, self._conn, self._ready = None, None, False
        self._restart_at = time.monotonic() + self.restart_after_s * 2 ** min(self._losses, 6)
        self._losses += 1
        if conn is not None:
            conn.close()
        if process is not None and process.is_alive():
            process.kill()

    def close(self) -> None:
        """Stop the helper process (after any work in flight)."""
        with self._busy:
            process, conn = self.process, self._conn
            self.process, self._conn, self._ready = None, None, False
            self._restart_at = None
        if conn is not None:
            conn.close()  # the helper reads end-of-file and exits
        if process is not None:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
