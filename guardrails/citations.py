"""Citation verifier: quotes in a letter must be verbatim in the sources they cite.

Two kinds of citation are checked.

**Record quotes.** Text inside double quotes (straight ``"…"`` or curly ``“…”``) that is
immediately followed (whitespace allowed) by a parenthesised *source marker* is a quote
from that source::

    “PHQ-9 = 17, panic attacks 3x/week” (Progress note 2025-01-14, dated 2025-01-14)
    "Goal: reduce panic attacks to 1/week" (Treatment plan)

The marker is ``(SOURCE, dated …)`` or ``(SOURCE)``: SOURCE is everything before the
first ``, dated``, must be a key of the ``sources`` mapping and has no parentheses. Any parenthesis directly
after a quoted text counts as a marker, so a letter must not put other parentheticals
there. A quote may not contain double quote characters itself (writers turn inner double
quotes into single ones) nor a blank line. Lines of Markdown blockquotes (``> …``) are
skipped: in appeal letters they hold the payer's policy text, checked by
:func:`verify_policy_citations`.

**Policy citations.** ``(policy_id, section, version, quote)`` tuples, checked against the
stored passage a resolver returns. :func:`policy_citations` reads them back from a letter
that cites a policy as::

    **Plan policy:** BH-OP-12 §4.2 (2024-01)

    > The policy text, verbatim.

Matching is verbatim after normalization: runs of whitespace become one space, and every
quote character (straight, curly, low; single or double) is the same character. Case,
words and punctuation must match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

PolicyCitation = tuple[str, str, str | None, str | None]
Resolver = Callable[[str, str, str | None], str | None]

_QUOTE_CHARS = str.maketrans(dict.fromkeys('"“”„‟‘’‚‛′″`', "'"))
_QUOTED = re.compile(r"[\"“„](?P<text>[^\"“”„]+?)[\"”][ \t]*\n?[ \t]*\((?P<marker>[^()\n]+)\)")
_DATED = re.compile(r",\s*dated\b", re.IGNORECASE)
_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>")
_POLICY_LINE = re.compile(
    r"^\*\*Plan policy:\*\*\s+(?P<id>\S+)\s+§(?P<section>.+?)(?:\s+\((?P<version>[^()]+)\))?\s*$"
)
_SHOWN = 80


def normalize(text: str) -> str:
    """Whitespace collapsed to single spaces and all quote characters made one."""
    return " ".join(text.translate(_QUOTE_CHARS).split())


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _without_blockquotes(letter: str) -> str:
    """The letter with blockquote lines blanked (line count kept)."""
    return "\n".join("" if _BLOCKQUOTE.match(line) else line for line in letter.splitlines())


def quoted(letter: str) -> list[tuple[str, str]]:
    """The ``(quote, source)`` pairs of a letter, in order, blockquotes excluded.

    Args:
        letter: The letter text (Markdown or plain).

    Returns:
        Each quoted text followed by a source marker, with the marker's source name.
    """
    pairs = []
    for match in _QUOTED.finditer(_without_blockquotes(letter)):
        text = match.group("text")
        if re.search(r"\n[ \t]*\n", text):
            continue
        source = _DATED.split(match.group("marker"), maxsplit=1)[0].strip()
        pairs.append((text, source))
    return pairs


def verify_quotes(letter: str, sources: Mapping[str, str]) -> list[str]:
    """Problems with the letter's record quotes; an empty list when every quote is verbatim.

    Args:
        letter: The letter text.
        sources: Full text of each source document, by the name its markers use.

    Returns:
        ``"unknown source: X"`` for a marker naming no known source, and
        ``"quote not found in X: '…'"`` for a quote that is not verbatim in its source.
    """
    problems: list[str] = []
    normalized: dict[str, str] = {}
    for text, source in quoted(letter):
        if source not in sources:
            problems.append(f"unknown source: {source}")
            continue
        if source not in normalized:
            normalized[source] = normalize(sources[source])
        needle = normalize(text)
        if not needle or needle not in normalized[source]:
            problems.append(f"quote not found in {source}: '{_short(text)}'")
    return problems


def _label(policy_id: str, section: str, version: str | None) -> str:
    return f"{policy_id} §{section}" + (f" ({version})" if version else "")


def verify_policy_citations(citations: list[PolicyCitation], resolve: Resolver) -> list[str]:
    """Problems with policy citations; an empty list when each resolves and its quote is verbatim.

    Args:
        citations: ``(policy_id, section, version, quote)`` tuples; ``quote`` may be None
            when only the section is cited.
        resolve: ``resolve(policy_id, section, version)`` returns the stored passage text,
            or None when there is no such section (or version).

    Returns:
        ``"policy section not found: ID §S"`` (with `` (version)`` when given) for a citation
        that does not resolve, and ``"policy quote not found in ID §S: '…'"`` for a quote
        that is not verbatim in the resolved passage.
    """
    problems: list[str] = []
    for policy_id, section, version, quote in citations:
        label = _label(policy_id, section, version)
        passage = resolve(policy_id, section, version)
        if passage is None:
            problems.append(f"policy section not found: {label}")
            continue
        if quote is not None and (not quote.strip() or normalize(quote) not in normalize(passage)):
            problems.append(f"policy quote not found in {label}: '{_short(quote)}'")
    return problems


def policy_citations(letter: str) -> list[PolicyCitation]:
    """The policy citations of a letter: each ``**Plan policy:**`` line and the blockquote after it.

    Args:
        letter: The letter in Markdown.

    Returns:
        ``(policy_id, section, version, quote)`` tuples in order; ``quote`` is None when no
        blockquote follows the citation line (blank lines between them are allowed).
    """
    lines = letter.splitlines()
    found: list[PolicyCitation] = []
    for index, line in enumerate(lines):
        match = _POLICY_LINE.match(line.strip())
        if not match:
            continue
        rest = iter(lines[index + 1 :])
        block: list[str] = []
        for following in rest:
            if not following.strip() and not block:
                continue
            if not _BLOCKQUOTE.match(following):
                break
            block.append(re.sub(r"^[ \t]{0,3}>[ \t]?", "", following))
        quote = " ".join(" ".join(block).split()) or None
        found.append((match.group("id"), match.group("section"), match.group("version"), quote))
    return found
