"""The raw data that travels inside the report PDF (a PDF/A-3 attachment).

:func:`data_attachment` writes the year's raw tables as one workbook (``lkj.data.processed``'s
``write_workbook``: a sheet per table, read back by ``read_raw``) and describes it for
:class:`lkj.render.to_pdf.Attachment`. The workbook is made byte-for-byte reproducible: openpyxl
stamps the save time into the file (document properties and zip entries), which would make
two builds of the same data differ; those stamps are set to the time the raw data last
changed (the newest modification time of its files).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from lkj.data.ingest import read_raw
from lkj.data.processed import write_workbook
from lkj.render.to_pdf import Attachment

if TYPE_CHECKING:
    import pandas as pd

_CORE = "docProps/core.xml"
_STAMPS = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def data_changed(year_dir: Path) -> datetime:
    """When the raw data of a year last changed: the newest mtime of its files (UTC), to the
    even second (a zip entry's time has a 2-second resolution: every stamp of the workbook
    then says the same)."""
    times = [p.stat().st_mtime for p in Path(year_dir).rglob("*") if p.is_file()]
    newest = int(max(times, default=0))
    return datetime.fromtimestamp(newest - newest % 2, tz=timezone.utc)


def stamp_workbook(path: Path, when: datetime) -> None:
    """Set the save time openpyxl wrote into an .xlsx (properties, zip entries) to ``when``."""
    with zipfile.ZipFile(path) as book:
        entries = [(info, book.read(info.filename)) for info in book.infolist()]
    iso = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = max(when.astimezone(timezone.utc).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in entries:
            if info.filename == _CORE:
                data = _STAMPS.sub(rf"\g<1>{iso}\g<2>", data.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            book.writestr(fixed, data)


def data_attachment(
    year: int,
    raw_root: Path,
    folder: Path,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> Attachment:
    """The year's raw data as a reproducible workbook, ready to embed in the PDF.

    Args:
        year: the report year.
        raw_root: the folder of the year folders (data/raw).
        folder: where to write the workbook (a staging folder).
        tables: the year's raw tables as ingest wrote them to the processed folder
            (``lkj.data.processed.contract_tables``): the same workbook, without reading and
            checking the raw folder again. None: read by ``read_raw``.

    Returns:
        The attachment ``LKj_YEAR_data_mentah.xlsx`` (relationship "Data"), dated when the data
        last changed by its file times (the PDF's date too: the same files, the same PDF).
    """
    folder.mkdir(parents=True, exist_ok=True)
    attachment = workbook_attachment(year, raw_root, folder)
    raw = read_raw(year, raw_root) if tables is None else tables
    stamp_workbook(write_workbook(raw, attachment.path), attachment.when)
    return attachment


def workbook_attachment(year: int, raw_root: Path, folder: Path) -> Attachment:
    """The attachment :func:`data_attachment` writes into ``folder``, described before it is
    written (its name, description and date: the PDF's job can be laid out meanwhile).

    Args:
        year: the report year.
        raw_root: the folder of the year folders (data/raw).
        folder: where the workbook is (to be) written.

    Returns:
        The attachment ``LKj_YEAR_data_mentah.xlsx``.
    """
    return Attachment(
        Path(folder) / f"LKj_{year}_data_mentah.xlsx",
        description=(
            f"Data mentah LKj {year}: setiap tabel data/raw/{year} sebagai satu sheet (dibaca "
            f"kembali oleh lkj, mis. disimpan sebagai data/raw/{year}/data.xlsx lalu "
            f"python -m lkj check --year {year})"
        ),
        when=data_changed(Path(raw_root) / str(year)),
    )
