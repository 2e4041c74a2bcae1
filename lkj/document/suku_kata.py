"""Header words broken at their syllables, as a typesetter would: pyphen's Indonesian patterns
(``id_ID``; Typst has none for Indonesian).

A header word is broken only where the table layout (``lkj.document.table_layout``) gave its
column less than the word's width, and only between syllables that leave at least
:data:`MIN_PIECE` letters on each side ("Reali-sasi", never "Re-alisasi" or "Realisa-si"). The
layout decides the break points once; each renderer shows them its own way: the Typst PDF as
explicit lines, the first ending with a hyphen ("Reali-" / "sasi"), the DOCX and the HTML as an
optional (soft) hyphen at that point only, which Word, LibreOffice and a browser print as a
hyphen where the line breaks there and not at all where it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

SOFT_HYPHEN = "\u00ad"
MIN_PIECE = 3
"""Fewest letters a broken header word leaves on either line."""
MIN_WORD = 7
"""Shortest word that is broken ("Target" is not; "Kondisi" may be)."""

Measure = Callable[[str], float]


@cache
def _pyphen():  # noqa: ANN202
    import pyphen

    return pyphen.Pyphen(lang="id_ID", left=MIN_PIECE, right=MIN_PIECE)


@cache
def syllable_points(word: str) -> tuple[int, ...]:
    """Where ``word`` may break (character offsets), from pyphen's ``id_ID`` patterns.

    Only alphabetic words of :data:`MIN_WORD` letters or more are broken (a code, a number, a
    year never is); the offsets leave at least :data:`MIN_PIECE` letters on each side.
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    return tuple(_pyphen().positions(word))


def narrowest(word: str, measure: Measure) -> float:
    """The width ``word`` needs on its lines when broken once at its best syllable point
    (its first piece with the hyphen), or its whole width when it has none."""
    best = measure(word)
    for p in syllable_points(word):
        best = min(best, max(measure(word[:p] + "-"), measure(word[p:])))
    return best


def _cut(word: str, room: float, measure: Measure) -> tuple[str, str] | None:
    """The longest first piece of ``word`` (with its hyphen) that fits ``room``, and the rest."""
    fitting = [p for p in syllable_points(word) if measure(word[:p] + "-") <= room]
    if not fitting:
        return None
    return word[: fitting[-1]], word[fitting[-1] :]


def wrap(text: str, room: float, measure: Measure) -> list[tuple[str, bool]]:
    """``text`` in lines of at most ``room`` (as ``measure`` says): words whole where they fit
    a line, a word wider than a whole line broken at its syllables.

    Returns:
        The lines, each with True when it ends inside a word (printed with a hyphen).
    """
    lines: list[tuple[str, bool]] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if measure(joined) <= room:
            line = joined
            continue
        if line:
            lines.append((line, False))
        while measure(word) > room:
            cut = _cut(word, room, measure)
            if cut is None:  # no syllable fits: the word as it is (the layout avoids this)
                break
            lines.append((cut[0], True))
            word = cut[1]
        line = word
    lines.append((line, False))
    return lines


def printed_lines(lines: list[tuple[str, bool]]) -> list[str]:
    """The lines as the PDF prints them: a line ending inside a word ends with a hyphen."""
    return [f"{text}-" if broken else text for text, broken in lines]


def soft_text(text: str, lines: list[tuple[str, bool]]) -> str:
    """``text`` with a soft hyphen at each point where ``lines`` break inside a word, and
    nowhere else (a text without such a break is returned unchanged)."""
    if not any(broken for _, broken in lines):
        return text
    out = ""
    for piece, broken in lines:
        out += piece + (SOFT_HYPHEN if broken else " ")
    return out.rstrip(" ")
