"""Landscape pages as a typesetter floats them: no portrait page left mostly empty before one.

A page cannot turn halfway down: the portrait page before a run of landscape pages ends where
the text before the run ends, however little that is (a new chapter's first short section,
the last rows of a table). A typesetter floats the wide table instead: the text goes on
filling the portrait page, and the landscape page follows the first full page. Typst has no
such float across orientations, so the PDF is laid out twice when it needs to be:
the template marks where every block begins (``metadata`` labelled ``<lkj-at>``: the block's
number, its page and its height on the page), and :func:`relieve` reads the marks of the
first compilation. For the first run of landscape pages whose portrait page before it is
less than :data:`MIN_FILL` full, it moves into that room

* the text carried onto the landscape page ahead of its table (its heading and introduction,
  ``lkj.document.lanskap``), which then introduces the table from the page before, and
* the blocks that follow the run (paragraphs, lists, figures, portrait tables, headings that
  are not a chapter's), as many as the room holds by their measured heights,

and the document is compiled again (``lkj.render.typst_worker``), at most :data:`ROUNDS`
times. A move is made only when it fills the page to :data:`MIN_FILL`; a heading never ends
the moved blocks. The blocks keep their order among themselves: only the landscape run moves
down, as a float does. Pure functions of the document's JSON (no Typst, no lkj import): the
worker process stays small.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

MIN_FILL = 0.4
"""The least share of a page's text area a page must fill (issue 19's layout test)."""
ROUNDS = 6
"""At most this many compilations more for one document."""
ROOM_PT = 14.0
"""Height kept free at the foot of the page for what the estimate does not see (pt)."""
MOVABLE = {"paragraph", "list", "heading", "figure", "table"}
POINTS_PER_MM = 72 / 25.4
LABELS = ("lkj-at", "lkj-end")
"""The labels of the template's marks: where each block begins, where each landscape run ends."""


def number_blocks(blocks: list[dict[str, Any]]) -> None:
    """Give every block (the landscape runs and the blocks inside them too) its number ``n``,
    the key of its mark."""
    n = 0
    for b in blocks:
        b["n"] = n
        n += 1
        for inner in b.get("blocks", ()):
            inner["n"] = n
            n += 1


def _heights(
    marks: dict[int, tuple[int, float]], order: list[int], top: float, area: float
) -> dict[int, float]:
    """The height of each block of ``order`` from the marks: the distance to the next
    block's mark on the same page, or, for a block that runs onto the next page, what it
    takes of both (its page's foot, the next page's head). Blocks whose end is not known are
    left out."""
    out = {}
    for a, b in zip(order, order[1:], strict=False):
        if a not in marks or b not in marks:
            continue
        (page_a, y_a), (page_b, y_b) = marks[a], marks[b]
        if page_a == page_b:
            out[a] = y_b - y_a
        elif page_b == page_a + 1:
            out[a] = max(top + area - y_a, 0.0) + (y_b - top)
    return out


def _movable(b: dict[str, Any]) -> bool:
    return b["type"] in MOVABLE and not (b["type"] == "heading" and b["page_break"])


class _Page:
    """What the marks of one compilation say about the document's pages."""

    def __init__(self, doc: dict[str, Any], at: list[dict], ends: list[dict]) -> None:
        settings = doc["settings"]
        top, _, bottom, _ = (m * POINTS_PER_MM for m in settings["margin"])
        self.top = top
        self.area = settings["height"] * POINTS_PER_MM - top - bottom
        self.wide_area = settings["width"] * POINTS_PER_MM - top - bottom
        sides = sum(settings["margin"][1::2])
        self.ratio = (settings["height"] - sides) / (settings["width"] - sides)
        """How much longer a line of text is on a landscape page than on a portrait one."""
        self.marks = {m["n"]: (m["page"], m["y"]) for m in at}
        self.ends = {m["n"]: (m["page"], m["y"]) for m in ends}
        blocks = doc["blocks"]
        order = [n for b in blocks for n in (b["n"], *(i["n"] for i in b.get("blocks", ())))]
        self.heights = _heights(self.marks, order, top, self.area)

    def turned(self, b: dict[str, Any], portrait_h: float) -> float:
        """A block's height on a landscape page, from its height on a portrait one."""
        return portrait_h / self.ratio if b["type"] in ("paragraph", "list") else portrait_h

    def upright(self, b: dict[str, Any], landscape_h: float) -> float:
        """A block's height on a portrait page, from its height on a landscape one."""
        return landscape_h * self.ratio if b["type"] in ("paragraph", "list") else landscape_h


def _following(
    blocks: list[dict[str, Any]],
    start: int,
    room: float,
    height: Callable[[dict[str, Any]], float | None],
) -> list[dict[str, Any]]:
    """The blocks from ``start`` that fit ``room`` by ``height`` (None: unknown), up to the
    first that may not move; never ending with a heading."""
    out: list[dict[str, Any]] = []
    for b in blocks[start:]:
        h = height(b)
        if not _movable(b) or h is None or h > room:
            break
        out.append(b)
        room -= h
    while out and out[-1]["type"] == "heading":
        out.pop()
    return out


def _before(doc: dict[str, Any], i: int, page: _Page) -> dict[str, Any] | None:
    """Float run ``i`` below the text after it when the page before it is mostly empty."""
    blocks = doc["blocks"]
    run = blocks[i]
    used = page.marks[run["n"]][1] - page.top
    if used < 1.0 or used / page.area >= MIN_FILL:
        return None  # the run begins a page, or the page before is full enough
    lead = list(itertools.takewhile(lambda b: b["type"] != "table", run["blocks"]))
    if any(b.get("opens_chapter") for b in lead):
        return None  # a chapter opens on the landscape page: the page before ends the last
    lead_h = sum(page.upright(b, page.heights.get(b["n"], page.area)) for b in lead)
    room = page.area - used - ROOM_PT
    moved = lead if lead and lead_h <= room else []
    follow = _following(
        blocks, i + 1, room - (lead_h if moved else 0.0), lambda b: page.heights.get(b["n"])
    )
    if moved and moved[-1]["type"] == "heading" and not follow:
        moved = []  # a heading alone at the foot of the page: the lead stays with its table
    filled = used + sum(page.heights[b["n"]] for b in follow) + (lead_h if moved else 0.0)
    if not (moved or follow) or filled / page.area < MIN_FILL:
        return None
    rest = dict(run, blocks=run["blocks"][len(moved) :])
    return dict(doc, blocks=[*blocks[:i], *moved, *follow, rest, *blocks[i + 1 + len(follow) :]])


def _after(doc: dict[str, Any], i: int, page: _Page) -> dict[str, Any] | None:
    """Carry the text after run ``i`` onto its last landscape page when that is mostly empty."""
    blocks = doc["blocks"]
    run = blocks[i]
    if run["n"] not in page.ends:
        return None
    used = page.ends[run["n"]][1] - page.top
    if used / page.wide_area >= MIN_FILL:
        return None
    room = page.wide_area - used - ROOM_PT

    def height(b: dict[str, Any]) -> float | None:
        h = page.heights.get(b["n"])
        return None if h is None else page.turned(b, h)

    follow = _following(blocks, i + 1, room, height)
    filled = used + sum(height(b) or 0.0 for b in follow)
    if not follow or filled / page.wide_area < MIN_FILL:
        return None
    grown = dict(run, blocks=[*run["blocks"], *follow])
    return dict(doc, blocks=[*blocks[:i], grown, *blocks[i + 1 + len(follow) :]])


def relieve(
    doc: dict[str, Any], at: list[dict[str, Any]], ends: list[dict[str, Any]], tried: set
) -> dict[str, Any] | None:
    """The document with the first landscape run that leaves a page mostly empty mended (see
    the module's docstring), or None when there is none it can mend.

    Args:
        doc: the document's JSON (blocks numbered by :func:`number_blocks`).
        at: the marks of its compilation where each block begins (``{"n", "page", "y"}``, y
            in pt from the top of the page).
        ends: the marks where each landscape run ends.
        tried: the mends already made or found impossible (updated).
    """
    page = _Page(doc, at, ends)
    for i, run in enumerate(doc["blocks"]):
        if run["type"] != "landscape" or run["n"] not in page.marks:
            continue
        for side, mend in (("before", _before), ("after", _after)):
            if (side, run["n"]) in tried:
                continue
            tried.add((side, run["n"]))
            mended = mend(doc, i, page)
            if mended is not None:
                return mended
    return None
