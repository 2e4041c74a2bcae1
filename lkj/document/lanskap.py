"""Which blocks print on landscape pages: decided once here, followed by every renderer (the
Typst PDF, the DOCX, the HTML print).

A table the layout turns (``lkj.document.table_layout``) prints on landscape pages, and a page
cannot change its orientation halfway down. Left to itself, the text around such a table would
stay on the portrait page before it: a heading and its paragraph alone at the top of an
otherwise empty page, or a table's closing sentence alone between two landscape tables. A
typesetter carries that text with the table (issue 19):

* the text that introduces a landscape table (the headings right before it, and the
  paragraphs and lists between its heading and the table) goes onto its landscape page, when it
  is short (:data:`LEAD_CHARS`);
* the text between two landscape tables (a closing paragraph, the next section's heading and
  introduction) stays on the landscape pages, when it is short (:data:`BRIDGE_CHARS`).

A chapter heading (one that starts a new page) moves with the text below it (its chapter then
opens on the landscape page) but nothing before it is carried past it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lkj.document.model import Block, Heading, ListBlock, Paragraph
from lkj.document.tables import Table

LEAD_CHARS = 1200
"""Most text carried onto a landscape page before its table (about a third of the page)."""
BRIDGE_CHARS = 2400
"""Most text kept on landscape pages between two landscape tables (about half a page)."""


def _text_chars(block: Block) -> int | None:
    """The characters of a block of text that may move with a table; None for any other
    block (a table, a figure, a page break)."""
    if isinstance(block, Heading):
        return len(block.text)
    if isinstance(block, Paragraph):
        return len(block.text)
    if isinstance(block, ListBlock):
        return sum(len(item) for item in block.items)
    return None


def _chapter(block: Block) -> bool:
    return isinstance(block, Heading) and block.page_break


def landscape_flags(blocks: Sequence[Block], turned: Callable[[Table], bool]) -> list[bool]:
    """For each block, whether it prints on a landscape page.

    Args:
        blocks: the document's blocks, in order.
        turned: whether the layout sets a table on landscape pages (for a table split into
            parts: its first part's).

    Returns:
        One flag per block: the landscape tables, the text that introduces one, and the text
        between two of them (see the module's docstring).
    """
    flags = [isinstance(b, Table) and turned(b) for b in blocks]
    chars = [_text_chars(b) for b in blocks]
    for i, flag in enumerate(list(flags)):
        if not flag:
            continue
        start = i  # the text right before this table, back to the first non-text block
        while start > 0 and chars[start - 1] is not None:
            start -= 1
            if _chapter(blocks[start]):
                break
        run = range(start, i)
        if not run:
            continue
        between = start > 0 and flags[start - 1]  # the text between two landscape tables
        if between and sum(chars[k] or 0 for k in run) <= BRIDGE_CHARS:
            for k in run:
                flags[k] = True
            continue
        # the introduction: from the last heading before the table (and the headings
        # right above it) down to the table
        headings = [k for k in run if isinstance(blocks[k], Heading)]
        if not headings:
            continue
        first = headings[-1]
        while (
            first > start and isinstance(blocks[first - 1], Heading) and not _chapter(blocks[first])
        ):
            first -= 1
        if sum(chars[k] or 0 for k in range(first, i)) <= LEAD_CHARS:
            for k in range(first, i):
                flags[k] = True
    return flags
