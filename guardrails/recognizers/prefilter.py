r"""Prefilters: a linear-time RE2 test that tells when a recognizer pattern cannot match.

Nearly all of the ninety-odd recognizer patterns find nothing in a given note, yet
Python's backtracking engine tries each of them at every position of the text (a leading
``\b`` or ``IGNORECASE`` switches off its first-character scan): about 40 ms for a
1,500-word note. RE2 (Google's automaton engine, PyPI ``google-re2``) answers "is there a
match anywhere?" in one pass. :func:`translate` rewrites a Python pattern into an RE2
pattern that matches *at least* everything the original matches — look-arounds, word
boundaries and anchors are dropped, back-references become "any text", possessive and
atomic forms become plain ones, Python's Unicode ``\s`` is spelled out — so an RE2 miss
proves a Python miss, and the recognizers' results are the same with or without the
prefilter. A pattern RE2 cannot take, or a text holding one of the four characters that
Python's ``IGNORECASE`` folds differently from RE2, simply runs without it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

log = logging.getLogger(__name__)

# Python's str.isspace() (its ``\s``): RE2's ``\s`` is ASCII only.
_SPACE = r"\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_NOT_SPACE = (r"\x{0}-\x{8}\x{e}-\x{1b}\x{21}-\x{84}\x{86}-\x{9f}\x{a1}-\x{167f}\x{1681}-\x{1fff}"
              r"\x{200b}-\x{2027}\x{202a}-\x{202e}\x{2030}-\x{205e}\x{2060}-\x{2fff}\x{3001}-\x{10ffff}")
# Characters Python's IGNORECASE matches with an ASCII letter while RE2's case folding does not
# (tests/guardrails/test_prefilter.py checks this against every code point).
_FOLD_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")
_ANY = r"(?s:.)"
_REPEAT_CAP = 1000  # RE2's largest counted repetition


class _Untranslatable(Exception):
    """A construct with no safe RE2 form (the pattern then always runs)."""


def _char(code: int) -> str:
    return rf"\x{{{code:x}}}"


def _class(items: list[tuple[Any, Any]]) -> str:
    """A character class; categories whose Unicode tables may differ between the engines are inexact."""
    negate = bool(items) and items[0][0] is c.NEGATE
    parts, exact = [], True
    for op, av in items[1:] if negate else items:
        if op is c.LITERAL:
            parts.append(_char(av))
        elif op is c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY and av is c.CATEGORY_SPACE:
            parts.append(_SPACE)
        elif op is c.CATEGORY and av is c.CATEGORY_NOT_SPACE:
            parts.append(_NOT_SPACE)
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            parts.append(r"\p{N}")
            exact = False
        elif op is c.CATEGORY and av is c.CATEGORY_WORD:
            parts.append(r"\p{L}\p{N}\p{M}_")
            exact = False
        else:  # \D, \W and anything rarer: a class of every character is the safe side
            return _ANY
    if negate:
        return f"[^{''.join(parts)}]" if exact and parts else _ANY
    return f"[{''.join(parts)}]" if parts else r"[^\x{0}-\x{10ffff}]"


def _repeat(lo: int, hi: int, body: str) -> str:
    if not body:
        return ""
    lo = min(lo, _REPEAT_CAP)
    if hi is c.MAXREPEAT or hi > _REPEAT_CAP:
        return f"(?:{body}){{{lo},}}"
    return f"(?:{body}){{{lo},{hi}}}"


def _seq(items: list[tuple[Any, Any]], dotall: bool) -> str:
    return "".join(_node(op, av, dotall) for op, av in items)


def _node(op: Any, av: Any, dotall: bool) -> str:
    if op is c.LITERAL:
        return _char(av)
    if op is c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is c.IN:
        return _class(list(av))
    if op is c.ANY:
        return _ANY if dotall else "."
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return ""  # zero width: dropping the condition can only add matches
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        return _repeat(lo, hi, _seq(list(sub), dotall))
    if op is c.SUBPATTERN:
        _, add, remove, sub = av
        if add & re.DOTALL:
            dotall = True
        if remove & re.DOTALL:
            dotall = False
        body = _seq(list(sub), dotall)
        if add & re.IGNORECASE:
            return f"(?i:{body})"
        if remove & re.IGNORECASE:
            return f"(?-i:{body})"
        return f"(?:{body})"
    if op is c.ATOMIC_GROUP:
        return f"(?:{_seq(list(av), dotall)})"
    if op is c.BRANCH:
        return "(?:" + "|".join(_seq(list(b), dotall) or "(?:)" for b in av[1]) + ")"
    if op is c.GROUPREF:
        return f"{_ANY}*"
    if op is c.GROUPREF_EXISTS:
        _, yes, no = av
        return "(?:" + _seq(list(yes), dotall) + "|" + (_seq(list(no), dotall) if no else "") + ")"
    raise _Untranslatable(str(op))


def translate(pattern: str, flags: int = 0) -> str:
    """An RE2 pattern matching everything ``pattern`` (Python syntax, ``flags``) matches, and maybe more."""
    if flags & re.LOCALE:
        raise _Untranslatable("LOCALE")
    parsed = sre.parse(pattern, flags)
    flags = parsed.state.flags  # with the pattern's own leading flags, "(?i)..."
    body = _seq(list(parsed), bool(flags & re.DOTALL))
    return ("(?i)" if flags & re.IGNORECASE else "") + (body or "(?:)")


def folds_differently(text: str) -> bool:
    """Whether ``text`` holds a character the two engines case-fold differently (prefilters then say nothing)."""
    return _FOLD_TWINS.search(text) is not None


def compile_prefilter(regex: re.Pattern[str]) -> Callable[[str], bool] | None:
    """A test returning False only when ``regex`` has no match in the text; None when none can be built.

    The test is only valid for a text where :func:`folds_differently` is False.
    """
    try:
        import re2  # type: ignore[import-untyped]
    except ImportError:  # an optional speed-up: without it every pattern runs
        return None
    try:
        options = re2.Options()
        options.max_mem = 64 << 20
        options.log_errors = False
        compiled = re2.compile(translate(regex.pattern, regex.flags), options)
    except (_Untranslatable, re2.error, ValueError, TypeError) as exc:
        log.debug("no prefilter for a recognizer pattern: %s", type(exc).__name__)
        return None

    def may_match(text: str) -> bool:
        return compiled.search(text) is not None

    return may_match
