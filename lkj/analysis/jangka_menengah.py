"""The analyses against the medium-term target and a benchmark, shared by the OPD report
(Bab III 3.6, against the Renstra) and the LKjIP (against the RPJMD).

The projection (:func:`metode_proyeksi`): the average yearly change of the realisasi from the
first year with a realisasi to the report year, carried on to the last year of the period.
With a single year there is no trend: the projection is that year's realisasi. The status the
field uses: tercapai (the realisasi reached the end target), akan tercapai (the projection
does), perlu upaya keras (otherwise); for a negative polarity reaching means not exceeding.
Exact decimals (``lkj.core.numbers``).
"""

from __future__ import annotations

from decimal import Decimal

from lkj.core import numbers

TERCAPAI, AKAN, UPAYA = "Tercapai", "Akan tercapai", "Perlu upaya keras"


def metode_proyeksi(dokumen: str) -> str:
    """The stated method of the projection and the status, for the end target of
    ``dokumen`` ("Renstra" for an OPD, "RPJMD" for the pemda)."""
    return (
        f"Proyeksi akhir periode {dokumen}: realisasi tahun ini ditambah rata-rata perubahan "
        "realisasi per tahun (dari tahun pertama yang memiliki realisasi sampai tahun ini) dikali "
        f"sisa tahun sampai tahun akhir target {dokumen}; tanpa realisasi tahun sebelumnya, "
        "proyeksi sama dengan realisasi tahun ini. Status: Tercapai bila realisasi tahun ini "
        f"telah mencapai target akhir {dokumen}; Akan tercapai bila proyeksinya mencapainya; "
        "selain itu Perlu upaya keras (indikator berpolaritas negatif: mencapai berarti tidak "
        "melebihi)."
    )


def reached(value: Decimal, target: Decimal, polaritas: str) -> bool:
    """Whether ``value`` reaches ``target`` (not above it for a negative polarity)."""
    return value <= target if polaritas == "negatif" else value >= target


def proyeksi(points: list[tuple[int, Decimal]], end_year: int) -> Decimal:
    """The realisasi projected to ``end_year`` from (year, realisasi) points, sorted by year:
    the last one plus the average yearly change since the first one times the years left."""
    (y0, r0), (y1, r1) = points[0], points[-1]
    if y1 == y0:
        return r1
    return r1 + (r1 - r0) / (y1 - y0) * (end_year - y1)


def status_akhir(
    points: list[tuple[int, Decimal]],
    target: Decimal | None,
    end_year: int | None,
    polaritas: str,
    year: int,
) -> tuple[Decimal | None, str | None]:
    """The projection (2 decimals) and the status against the end target; (None, None) where
    the end target, its year or the report year's realisasi is missing.

    Args:
        points: (year, realisasi) with a realisasi, sorted by year, up to the report year.
        target: the end target of the period.
        end_year: the last year of the period.
        polaritas: "positif" or "negatif".
        year: the report year.
    """
    if not points or target is None or end_year is None or points[-1][0] != year:
        return None, None
    projected = numbers.round_half_up(proyeksi(points, end_year), 2)
    if reached(points[-1][1], target, polaritas):
        return projected, TERCAPAI
    if reached(projected, target, polaritas):
        return projected, AKAN
    return projected, UPAYA


def banding(realisasi: object, pembanding: object, polaritas: str) -> str:
    """The realisasi against a benchmark: "lebih baik dari pembanding", "sama dengan
    pembanding", "di bawah pembanding" or "-" when either is missing."""
    real, bench = numbers.to_decimal(realisasi), numbers.to_decimal(pembanding)
    if real is None or bench is None:
        return "-"
    if real == bench:
        return "sama dengan pembanding"
    better = real < bench if polaritas == "negatif" else real > bench
    return "lebih baik dari pembanding" if better else "di bawah pembanding"
