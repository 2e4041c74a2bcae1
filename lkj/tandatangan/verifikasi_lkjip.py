"""``make verifikasi PDF=<signed LKjIP>``: the LKjIP's tables rebuilt from the data its PDF/A
carries (``LKjIP_YEAR_data_konsolidasi.zip``, ``lkj.analysis.konsolidasi_data``): the pemda's
tables and the OPDs' processed tables, unpacked within limits into a scratch workspace,
consolidated (``lkj.analysis.konsolidasi.consolidate``) and laid out as the LKjIP
(``lkj.document.lkjip.lkjip_document``) by this lkj and config/lkj.toml.
``lkj.tandatangan.verifikasi`` compares every figure of them with the PDF, as for an OPD's
report. A carried table that is not what ``make pemda`` writes is refused in one line naming the
attachment (and its entry where it is known).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError

SUFFIX = "_data_konsolidasi.zip"


def carried_konsolidasi(data: bytes) -> tuple[str, bytes] | None:
    """The consolidation data (.zip) an LKjIP PDF carries, as (name, bytes)."""
    from pypdf import PdfReader

    for name, contents in PdfReader(io.BytesIO(data)).attachments.items():
        if name.startswith("LKjIP_") and name.endswith(SUFFIX) and contents:
            return name, contents[0]
    return None


def rebuild_lkjip_tables(
    book: bytes, where: str, scratch: Path, config: Path | str | None
) -> list[Any]:
    """The LKjIP's tables, numbered and unnumbered, in document order, rebuilt in
    ``scratch`` from the carried zip ``book`` (named ``where`` in a refusal)."""
    from lkj.analysis.konsolidasi import consolidate
    from lkj.analysis.konsolidasi_data import unpack_carried
    from lkj.core.config import load_config
    from lkj.document.lkjip import lkjip_document

    settings = load_config(config)
    ws, pemda, outcomes = unpack_carried(book, where, scratch)
    figures = {"iku": scratch / "grafik_iku_pemda.png", "serapan": scratch / "grafik_opd.png"}
    try:
        data = consolidate(ws, pemda, outcomes, settings)
        return lkjip_document(data, settings, figures).tables()
    except LkjError:
        raise
    except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        # a processed table of an OPD that is not what its report writes
        raise LkjError(
            f"{where}: tabel OPD yang dibawa tidak dapat dikonsolidasikan "
            f"({type(exc).__name__}: {exc}); diharapkan tabel diolah seperti yang ditulis "
            "make pemda"
        ) from None
