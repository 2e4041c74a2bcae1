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
  are not a chapter's), as many as the room holds by their measured heights.

When nothing after the run fits, the text on that page (paragraphs that begin there, the end
of one that began on the page before) goes onto the landscape page ahead of the run instead.
When the run's last landscape page is mostly empty, the blocks after the run are carried onto
it, or, if they do not fit, its table's last rows are kept together with more rows from the
page before (widow control). Then the document is compiled again
(``lkj.render.typst_worker``), at most :data:`ROUNDS` times. A move is made only when it
fills the page to :data:`MIN_FILL`; a heading never ends the moved blocks. The blocks keep
their order among themselves: only the landscape run moves down, as a float does. Pure
functions of the document's JSON (no Typst, no lkj import): the worker process stays small.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

MIN_FILL = 0.4
"""The least share of a page's text area a page must fill (issue 19's layout test)."""
ROUNDS = 6
"""At most this many compilations more for one document."""
TAIL = 2 / 3
"""The most of its last page a table's kept last rows may fill (estimated from above; as
``lkj.document.table_layout.keep_groups``, a group of rows never holds more)."""
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
        return _spill(doc, i, page)
    rest = dict(run, blocks=run["blocks"][len(moved) :])
    return dict(doc, blocks=[*blocks[:i], *moved, *follow, rest, *blocks[i + 1 + len(follow) :]])


def _spill(doc: dict[str, Any], i: int, page: _Page) -> dict[str, Any] | None:
    """When the page before run ``i`` holds only text that the run could take (paragraphs and
    lists that begin on it, and the end of one that began on the page before), and nothing
    after the run fits there, that text goes onto the landscape page, ahead of its run; the
    page where it began keeps what it had above it, if that fills it enough."""
    blocks = doc["blocks"]
    run = blocks[i]
    turns = page.marks[run["n"]][0]
    if any(b.get("opens_chapter") for b in run["blocks"]):
        return None
    j = i
    while j > 0 and blocks[j - 1]["type"] in ("paragraph", "list"):
        begins, y = page.marks.get(blocks[j - 1]["n"], (0, 0.0))
        if begins == turns:
            j -= 1
            continue
        if begins == turns - 1 and (y - page.top) / page.area >= MIN_FILL:
            j -= 1  # it began on the page before, which keeps enough above it
        break
    if j == i or page.marks[blocks[j]["n"]][0] == turns and j > 0 and _runs_on(blocks[j - 1]):
        return None  # no text to carry, or a table's last rows stay there anyway
    grown = dict(run, blocks=[*blocks[j:i], *run["blocks"]])
    return dict(doc, blocks=[*blocks[:j], grown, *blocks[i + 1 :]])


def _runs_on(b: dict[str, Any]) -> bool:
    """A block that may run onto the next page (a table, a paragraph, a list)."""
    return b["type"] in ("table", "paragraph", "list", "landscape")


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
        return _widow(doc, i, page)
    grown = dict(run, blocks=[*run["blocks"], *follow])
    return dict(doc, blocks=[*blocks[:i], grown, *blocks[i + 1 + len(follow) :]])


def _widow(doc: dict[str, Any], i: int, page: _Page) -> dict[str, Any] | None:
    """When run ``i`` ends with the last rows of a table that began on an earlier page, keep
    its last rows together, as many as fill at most :data:`TAIL` of a page by their estimated
    heights: the rows move from the page before, which keeps the rest (a typesetter's widow
    control). None when they cannot fill :data:`MIN_FILL` of it."""
    run = doc["blocks"][i]
    table = run["blocks"][-1]
    start, end = page.marks.get(table["n"]), page.ends[run["n"]]
    if table["type"] != "table" or start is None or start[0] == end[0]:
        return None
    heights, keep = table["heights"], table["keep"]
    k, total = 0, 0.0
    while k < len(heights) and total + heights[-k - 1] <= TAIL * page.wide_area:
        k += 1
        total += heights[-k]
    first = len(heights) - k
    if total < MIN_FILL * page.wide_area or first < 2:
        return None  # rows too tall to fill it, or the table's first two rows
    if any(j < first < j + keep[j] for j in range(first)):
        return None  # it would cut a group kept above
    kept = [*keep[:first], k, *([0] * (k - 1))]
    grown = dict(run, blocks=[*run["blocks"][:-1], dict(table, keep=kept)])
    return dict(doc, blocks=[*doc["blocks"][:i], grown, *doc["blocks"][i + 1 :]])


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
