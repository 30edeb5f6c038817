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
process (no fork of a process holding threads and locks). Nothing is logged from it, and
only chunks of text and span offsets cross the pipe. ``PARITY_DEID_WORKERS=0`` turns it off.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from presidio_analyzer import RecognizerResult

if TYPE_CHECKING:
    from guardrails.deid import DeidConfig, Deidentifier

log = logging.getLogger(__name__)
Span = tuple[str, int, int, float, str | None]
_WORKER: Deidentifier | None = None


def helper_wanted() -> bool:
    """Whether ``PARITY_DEID_WORKERS`` (default: 1 with two or more cores) asks for a helper."""
    raw = os.environ.get("PARITY_DEID_WORKERS", "").strip()
    if not raw:
        return (os.cpu_count() or 1) >= 2
    try:
        return int(raw) > 0
    except ValueError as exc:
        raise ValueError(f"PARITY_DEID_WORKERS must be a whole number, got {raw!r}") from exc


def _start_worker(config: DeidConfig) -> None:
    global _WORKER
    os.environ["PARITY_DEID_WORKERS"] = "0"  # the helper has no helper of its own
    logging.disable(logging.CRITICAL)  # nothing from the helper reaches a log
    parent = multiprocessing.parent_process()
    if parent is not None:  # a helper never outlives its process (a crash or kill -9 of the server)
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    from guardrails.deid import Deidentifier

    _WORKER = Deidentifier(config)


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _ping() -> bool:
    return _WORKER is not None


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


class HelperProcess:
    """One helper process for the long texts of one :class:`~guardrails.deid.Deidentifier`."""

    def __init__(self, config: DeidConfig) -> None:
        """Remember the configuration; the process starts with :meth:`start` or :meth:`warm`."""
        self.config = config
        self.min_chars = config.parallel_min_chars
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future[bool] | None = None
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Start the helper in the background (long-running processes: a server, an eval run)."""
        self._start()

    def _start(self) -> None:
        with self._start_lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(self.config,),
                )
                self._ready = self._pool.submit(_ping)

    def warm(self, timeout: float | None = 60.0) -> bool:
        """Start the helper now and wait until it answers (for servers and benchmarks); True when up."""
        self._start()
        assert self._ready is not None
        try:
            return bool(self._ready.result(timeout=timeout))
        except Exception:  # a helper that cannot start leaves the analysis to this process
            log.warning("de-identification helper process did not start; analyzing in this process only")
            return False

    @property
    def ready(self) -> bool:
        """Whether the helper has started and answered."""
        ready = self._ready
        if ready is None or not ready.done():
            return False
        if ready.exception() is not None:
            return False
        return bool(ready.result())

    def raw_results(self, deidentifier: Deidentifier, text: str) -> list[RecognizerResult]:
        """The detections in ``text``, with its later half analyzed by the helper when it is up."""
        from guardrails.deid import split_chunks

        size = self.config.chunk_chars
        if len(text) < self.min_chars or not self.ready:  # short, or not started / still loading / gone
            return deidentifier.raw_results(split_chunks(text, size))
        cut = halves(text)
        first = split_chunks(text[:cut], size)
        second = [(cut + o, c) for o, c in split_chunks(text[cut:], size)]
        assert self._pool is not None
        try:
            pending = self._pool.submit(_analyze, second)
        except RuntimeError:  # the pool broke (the helper died): carry on alone
            self._lost("de-identification helper process is gone; analyzing in this process only")
            return deidentifier.raw_results(split_chunks(text, size))
        mine = deidentifier.raw_results(first)
        try:
            theirs = [_result(s) for s in pending.result()]
        except Exception:  # any failure of the helper: analyze its half here
            self._lost("de-identification helper process failed; analyzing its half in this process")
            theirs = deidentifier.raw_results(second)
        return mine + theirs

    def _lost(self, message: str) -> None:
        """Forget a helper that died (a later ``start`` or ``warm`` starts a new one)."""
        log.warning(message)
        self._ready = None
        self._pool = None

    def close(self) -> None:
        """Stop the helper process."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._ready = None
