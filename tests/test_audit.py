"""The reviewer notebooks' tables and checks (lkj.analysis.audit) against figures derived by hand.

Every expected figure is summed here from the raw rows of data/raw/2022 with csv and decimal
(not through lkj), then compared with what lkj.analysis.audit shows; Indonesian number texts are
built
here too (`_id`), not with lkj.core.fmt. The e2e tests read the rendered notebooks of the session's
build (tests/conftest.py) and check the cells of the checks table.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from lkj.analysis import audit
from lkj.analysis.capaian import compute_results
from lkj.core.config import load_config
from lkj.data.ingest import read_raw
from lkj.data.sources import describe_sources

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "2022"


def _rows(name: str) -> list[dict[str, str]]:
    with open(RAW / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SUB = _rows("sub_kegiatan")
PROGRAM_OF = {r["kode_kegiatan"]: r["kode_program"] for r in _rows("kegiatan")}
SASARAN_OF = {r["kode_program"]: r["kode_sasaran"] for r in _rows("program")}
LRA = _rows("lra")
STATED = _rows("angka_tertulis")
TOTAL_ANGGARAN = sum(Decimal(r["anggaran_rp"]) for r in SUB)
TOTAL_REALISASI = sum(Decimal(r["realisasi_anggaran_rp"]) for r in SUB)
LRA_ANGGARAN = sum(Decimal(r["anggaran_rp"]) for r in LRA)
LRA_REALISASI = sum(Decimal(r["realisasi_rp"]) for r in LRA)
# The source document's figures that differ from the computation: 44 (README.md, and
# data/raw/2022/README_transcription.md lists them); rows without a numeric value cannot be
# compared.
STATED_DIFFERENT = 44
STATED_EMPTY = sum(1 for r in STATED if not r["nilai"].strip())


def _id(value: Decimal, decimals: int = 0) -> str:
    """Indonesian number text by hand: 1.367.655.230 / 81,95 (half away from zero)."""
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _capaian(row: dict[str, str]) -> Decimal:
    """Capaian fisik as printed (2 decimals, half away from zero): what aggregates start from."""
    value = Decimal(row["realisasi_fisik"]) / Decimal(row["target_fisik"]) * 100
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _by(key) -> dict[str, list[dict[str, str]]]:
    groups = defaultdict(list)
    for row in SUB:
        code = key(row)
        if code:
            groups[code].append(row)
    return dict(groups)


def _program(row):
    return PROGRAM_OF[row["kode_kegiatan"]]


def _sasaran(row):
    return SASARAN_OF[_program(row)]


def _weighted(rows: list[dict[str, str]]) -> Decimal:
    budget = sum(Decimal(r["anggaran_rp"]) for r in rows)
    return sum(_capaian(r) * Decimal(r["anggaran_rp"]) for r in rows) / budget


@pytest.fixture(scope="module")
def computed():
    raw = read_raw(2022, RAW.parent)
    config = load_config(None)
    res = compute_results(raw.tables, 2022, config)
    return raw, config, res, audit.stated(raw.tables, res, 2022)


def _checks(computed, tables=None, res=None):
    raw, config, res0, kualitas = computed
    return audit.reconcile(tables or raw.tables, res or res0, config, kualitas)


def test_hand_totals_are_the_documented_ones():
    # sanity of the derivations above against README.md / the e2e figures
    assert (len(SUB), TOTAL_ANGGARAN, TOTAL_REALISASI) == (35, 4920098606, 4016972430)
    assert LRA_ANGGARAN - TOTAL_ANGGARAN == -16_000_000
    assert len(STATED) == 416 and STATED_EMPTY == 3


def test_checks_of_2022(computed):
    checks = _checks(computed)
    got = [(c.kelompok, c.status) for c in checks]
    assert got == [(audit.INTERNAL, audit.PASSED)] * 12 + [
        (audit.SOURCES, audit.DIFFERS),
        (audit.SOURCES, audit.PASSED),
        (audit.STATED, audit.DIFFERS),
    ]
    for c in checks[0:4]:
        assert (c.diharapkan, c.dihitung) == (TOTAL_ANGGARAN, TOTAL_ANGGARAN)
    for c in checks[4:8]:
        assert (c.diharapkan, c.dihitung) == (TOTAL_REALISASI, TOTAL_REALISASI)
    assert (checks[8].diharapkan, checks[8].dihitung) == (len(SUB), len(SUB))
    n_kegiatan, n_program = len(_by(lambda r: r["kode_kegiatan"])), len(_by(_program))
    assert [(c.diharapkan, c.dihitung) for c in checks[9:12]] == [
        (n_kegiatan, n_kegiatan),
        (n_program, n_program),
        (len(_by(_sasaran)), len(_by(_sasaran))),
    ]
    lra_budget, lra_spent, stated = checks[12:]
    assert (lra_budget.diharapkan, lra_budget.dihitung) == (TOTAL_ANGGARAN, LRA_ANGGARAN)
    assert lra_budget.selisih == Decimal(-16_000_000)
    assert lra_budget.keterangan == (
        "LRA Rp 16.000.000 lebih kecil dari jumlah sub kegiatan; laporan memakai rincian "
        "sub kegiatan"
    )
    assert (lra_spent.diharapkan, lra_spent.dihitung, lra_spent.selisih) == (
        TOTAL_REALISASI,
        LRA_REALISASI,
        0,
    )
    comparable = len(STATED) - STATED_EMPTY
    assert (stated.diharapkan, stated.dihitung) == (comparable, comparable - STATED_DIFFERENT)
    assert stated.keterangan == (
        f"dari 416 angka tertulis: {comparable - STATED_DIFFERENT} sesuai, 44 berbeda, "
        f"{STATED_EMPTY} tidak dapat dibandingkan"
    )


def test_stated_counts(computed):
    *_, kualitas = computed
    assert audit.stated_counts(kualitas) == {
        "sesuai": len(STATED) - STATED_EMPTY - STATED_DIFFERENT,
        "berbeda": STATED_DIFFERENT,
        "tidak dapat dibandingkan": STATED_EMPTY,
    }
    shown = audit.tabel_angka_tertulis(kualitas)
    assert len(shown.frame) == STATED_DIFFERENT
    assert shown.title.endswith("(44 dari 416)")


def test_a_wrong_total_fails(computed):
    raw, config, res, _ = computed
    program = res.program.copy()
    program.loc[0, "anggaran_rp"] += 1
    kegiatan = res.kegiatan.copy()
    kegiatan.loc[0, "capaian_fisik_pct"] += 0.01
    broken = dataclasses.replace(res, program=program, kegiatan=kegiatan)
    checks = {c.uraian: c for c in _checks(computed, res=broken)}
    failed = {u: c for u, c in checks.items() if c.status == audit.FAILED}
    assert len(failed) == 2
    budget = next(c for u, c in failed.items() if "tabel program" in u)
    assert (budget.selisih, budget.satuan) == (1, "rp")
    recount = next(c for u, c in failed.items() if "setiap kegiatan" in u)
    n = len(_by(lambda r: r["kode_kegiatan"]))
    assert (recount.diharapkan, recount.dihitung) == (n, n - 1)


def test_lra_that_agrees_passes(computed):
    raw, *_ = computed
    lra = raw.tables["lra"].copy()
    lra.loc[0, "anggaran_rp"] += 16_000_000
    checks = _checks(computed, tables={**raw.tables, "lra": lra})
    lra_check = checks[12]
    assert (lra_check.status, lra_check.selisih, lra_check.keterangan) == (audit.PASSED, 0, "")


def _frame_rows(table: audit.AuditTable, aggregate: bool) -> pd.DataFrame:
    keep = [e == aggregate for e in table.emphasis]
    return table.frame[keep].reset_index(drop=True)


def test_walkthrough_per_program(computed):
    raw, config, res, _ = computed
    table = audit.rincian_agregat(raw.tables, res, config, "program")
    groups = _by(_program)
    lines = _frame_rows(table, aggregate=True)
    assert list(lines["Kode program"]) == sorted(groups)
    subs = _frame_rows(table, aggregate=False)
    for code, rows in groups.items():
        line = lines[lines["Kode program"] == code].iloc[0]
        budget = sum(Decimal(r["anggaran_rp"]) for r in rows)
        spent = sum(Decimal(r["realisasi_anggaran_rp"]) for r in rows)
        assert line["Anggaran (Rp)"] == _id(budget)
        assert line["Realisasi anggaran (Rp)"] == _id(spent)
        assert line["Serapan (%)"] == _id(spent / budget * 100, 2)
        assert line["Capaian fisik (%)"] == _id(_weighted(rows), 2)
        assert line["Capaian × bobot"] == _id(_weighted(rows), 2)
        assert line["Bobot (%)"] == "100,00"
        mine = subs[subs["Kode program"] == code]
        assert list(mine["Kode"]) == [r["kode_sub_kegiatan"] for r in rows]
        assert list(mine["Bobot (%)"]) == [
            _id(Decimal(r["anggaran_rp"]) / budget * 100, 2) for r in rows
        ]
        assert list(mine["Capaian fisik (%)"]) == [_id(_capaian(r), 2) for r in rows]
    # the seed's own figures (README): political education 92,23; program 05 88,00
    assert lines.set_index("Kode program").loc["03", "Capaian fisik (%)"] == "92,23"
    assert lines.set_index("Kode program").loc["05", "Capaian fisik (%)"] == "88,00"


def test_walkthrough_per_kegiatan_and_sasaran(computed):
    raw, config, res, _ = computed
    keg = audit.rincian_agregat(raw.tables, res, config, "kegiatan")
    groups = _by(lambda r: r["kode_kegiatan"])
    lines = _frame_rows(keg, aggregate=True).set_index("Kode kegiatan")
    assert len(_frame_rows(keg, aggregate=False)) == len(SUB)
    for code, rows in groups.items():
        assert lines.loc[code, "Capaian fisik (%)"] == _id(_weighted(rows), 2)
    assert lines.loc["01.02", "Capaian fisik (%)"] == "34,20"  # gaji: 10 of 30 pegawai

    sas = audit.rincian_agregat(raw.tables, res, config, "sasaran")
    groups = _by(_sasaran)
    lines = _frame_rows(sas, aggregate=True).set_index("Kode sasaran")
    assert sorted(lines.index) == sorted(groups) == ["S1", "S2", "S3"]
    assert len(_frame_rows(sas, aggregate=False)) == sum(len(g) for g in groups.values())
    for code, rows in groups.items():
        spent = sum(Decimal(r["realisasi_anggaran_rp"]) for r in rows)
        assert lines.loc[code, "Realisasi anggaran (Rp)"] == _id(spent)
        assert lines.loc[code, "Capaian fisik (%)"] == _id(_weighted(rows), 2)
    assert lines.loc["S2", "Realisasi anggaran (Rp)"] == "1.095.556.100"


def test_walkthrough_of_the_total(computed):
    raw, config, res, _ = computed
    table = audit.rincian_agregat(raw.tables, res, config, "total")
    assert len(_frame_rows(table, aggregate=False)) == len(SUB)
    (line,) = _frame_rows(table, aggregate=True).to_dict("records")
    assert line["Kode"] == "Jumlah" and line["Uraian"] == "35 sub kegiatan"
    assert line["Anggaran (Rp)"] == _id(TOTAL_ANGGARAN) == "4.920.098.606"
    assert line["Realisasi anggaran (Rp)"] == _id(TOTAL_REALISASI)
    assert line["Serapan (%)"] == _id(TOTAL_REALISASI / TOTAL_ANGGARAN * 100, 2) == "81,64"


def test_method_and_weights_follow_the_configuration(computed):
    raw, config, _, kualitas = computed
    plain = dataclasses.replace(config, aggregation_method="rata_rata")
    res = compute_results(raw.tables, 2022, plain)

    def strong(cfg):
        return BeautifulSoup(audit.metode(cfg), "html.parser").find("strong").get_text()

    assert strong(config) == "rata-rata tertimbang anggaran"
    assert strong(plain) == "rata-rata sederhana"
    table = audit.rincian_agregat(raw.tables, res, plain, "program")
    lines = _frame_rows(table, aggregate=True).set_index("Kode program")
    subs = _frame_rows(table, aggregate=False)
    for code, rows in _by(_program).items():
        mean = sum(_capaian(r) for r in rows) / len(rows)
        assert lines.loc[code, "Capaian fisik (%)"] == _id(mean, 2)
        assert lines.loc[code, "Capaian × bobot"] == _id(mean, 2)
        weights = subs[subs["Kode program"] == code]["Bobot (%)"]
        assert set(weights) == {_id(Decimal(100) / len(rows), 2)}
    assert "rata-rata sederhana" in table.note
    checks = audit.reconcile(raw.tables, res, plain, kualitas)
    assert [c.status for c in checks if c.kelompok == audit.INTERNAL] == [audit.PASSED] * 12


def test_display_tables_are_formatted_like_the_report(computed):
    raw, _, res, _ = computed
    gaji = next(r for r in SUB if r["kode_sub_kegiatan"] == "01.02.01")
    row = audit.tabel_sub_kegiatan(res).frame.set_index("Kode").loc["01.02.01"]
    assert row["Anggaran (Rp)"] == _id(Decimal(gaji["anggaran_rp"])) == "1.367.655.230"
    spent, budget = Decimal(gaji["realisasi_anggaran_rp"]), Decimal(gaji["anggaran_rp"])
    assert row["Serapan (%)"] == _id(spent / budget * 100, 2) == "81,95"
    assert row["Capaian fisik (%)"] == _id(_capaian(gaji), 2) == "33,33"
    assert row["SILPA (Rp)"] == _id(budget - spent)

    mentah = audit.tabel_sub_kegiatan_mentah(raw.tables)
    assert len(mentah.frame) == len(SUB) + 1 and mentah.emphasis[-1]
    last = mentah.frame.iloc[-1]
    assert (last["Kode"], last["Anggaran (Rp)"], last["Realisasi anggaran (Rp)"]) == (
        "Jumlah",
        _id(TOTAL_ANGGARAN),
        _id(TOTAL_REALISASI),
    )

    lra = audit.tabel_anggaran(res)[0].frame.set_index("Jenis belanja")
    pegawai = next(r for r in LRA if r["jenis_belanja"] == "Belanja Pegawai")
    assert lra.loc["Belanja Pegawai", "Serapan (%)"] == _id(
        Decimal(pegawai["realisasi_rp"]) / Decimal(pegawai["anggaran_rp"]) * 100, 2
    )


def test_sources_are_named_by_file_only(computed):
    raw, *_ = computed
    table = audit.tabel_sumber(describe_sources(raw))
    files = list(table.frame["File"])
    assert len(files) == len(list(RAW.glob("*.csv")))
    assert all("/" not in f and "\\" not in f for f in files)
    assert "sub_kegiatan.csv" in files
    assert list(table.frame.columns) == ["Tabel", "File", "Sheet", "Jumlah baris", "SHA-256"]


def test_html_escapes_text_and_marks_status_and_totals():
    frame = pd.DataFrame({"Uraian": ["<script>x</script>", "Jumlah"], "Status": ["GAGAL", "x"]})
    html = audit.AuditTable("T <b>", frame, frozenset(), [False, True]).to_html()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    assert soup.caption.get_text() == "T <b>"
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in soup.tbody.find_all("tr")]
    assert cells == [["<script>x</script>", "GAGAL"], ["Jumlah", "x"]]
    rows = soup.tbody.find_all("tr")
    assert rows[0].get("class") is None and rows[1]["class"] == ["agregat"]
    assert rows[0].find_all("td")[1]["class"] == ["status"]


def test_checks_are_plain_data(computed):
    frame = audit.checks_frame(_checks(computed))
    assert list(frame.columns) == [
        "kelompok",
        "uraian",
        "diharapkan",
        "dihitung",
        "selisih",
        "satuan",
        "status",
        "keterangan",
    ]
    assert len(frame) == 15
    assert all(isinstance(v, Decimal) for v in frame["selisih"])
    assert list(frame["status"]).count(audit.DIFFERS) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, Decimal("0.1")),
        (2.125, Decimal("2.125")),
        (4920098606, Decimal(4920098606)),
        (Decimal("66.667"), Decimal("66.667")),
        (float("nan"), None),
        (None, None),
        ("", None),
    ],
)
def test_to_decimal(value, expected):
    assert audit.to_decimal(value) == expected


# --------------------------------------------------------------------------- rendered notebooks


def _tables(html_path: Path) -> dict[str, list[dict[str, str]]]:
    """Caption to rows (heading to cell text) of every table.lkj in a rendered notebook."""
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    out = {}
    for table in soup.select("table.audit"):
        heads = [th.get_text(strip=True) for th in table.thead.find_all("th")]
        rows = [
            dict(zip(heads, (td.get_text(strip=True) for td in tr.find_all("td")), strict=True))
            for tr in table.tbody.find_all("tr")
        ]
        out[table.caption.get_text(strip=True)] = rows
    return out


@pytest.mark.e2e
def test_rendered_checks_table(built_2022):
    tables = _tables(built_2022 / "out" / "2022" / "notebooks" / "02_capaian.html")
    rows = tables["Pemeriksaan rekonsiliasi"]
    assert [r["Status"] for r in rows] == ["LULUS"] * 12 + ["BEDA", "LULUS", "BEDA"]
    assert [r["No"] for r in rows] == [str(i) for i in range(1, 16)]
    lra = rows[12]
    assert (lra["Nilai acuan (dari data mentah)"], lra["Nilai yang diperiksa"]) == (
        "Rp 4.920.098.606",
        "Rp 4.904.098.606",
    )
    assert lra["Selisih"] == "-Rp 16.000.000"
    assert rows[14]["Keterangan"] == (
        "dari 416 angka tertulis: 369 sesuai, 44 berbeda, 3 tidak dapat dibandingkan"
    )
    for row in rows[:8]:
        assert row["Selisih"] == "Rp 0"
    assert len(tables["Angka tertulis yang berbeda dari hasil perhitungan (44 dari 416)"]) == 44
    program = tables["Rincian: sub kegiatan pembentuk setiap program"]
    line = next(r for r in program if r["Kode"] == "Program 03")
    assert (line["Capaian fisik (%)"], line["Capaian × bobot"]) == ("92,23", "92,23")


@pytest.mark.e2e
def test_rendered_raw_rows_and_sources(built_2022):
    tables = _tables(built_2022 / "out" / "2022" / "notebooks" / "01_ingest.html")
    raw_rows = tables["Baris sub kegiatan seperti dimasukkan (sub_kegiatan.csv)"]
    assert len(raw_rows) == len(SUB) + 1
    assert raw_rows[-1]["Anggaran (Rp)"] == "4.920.098.606"
    sources = tables["Data mentah yang dibaca"]
    assert {r["File"] for r in sources} == {p.name for p in RAW.glob("*.csv")}


@pytest.mark.e2e
def test_rendered_notebook_outputs_hold_no_machine_path(built_2022):
    html = sorted((built_2022 / "out" / "2022" / "notebooks").glob("*.html"))
    stems = ["01_ingest", "02_capaian", "03_grafik", "04_laporan", "penilaian_mandiri"]
    assert [p.stem for p in html] == stems  # the self-assessment's page among them (issue 23)
    page = html.pop().read_text(encoding="utf-8")
    assert not [f for f in (str(built_2022), str(ROOT), "/tmp/", ".staging-") if f in page]
    for path in html:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        outputs = soup.select(".jp-OutputArea-output")
        assert outputs, path.name
        for output in outputs:
            text = output.get_text(" ")
            for folder in (str(built_2022), str(ROOT), "/tmp/", ".staging-"):
                assert folder not in text, (path.name, folder, text[:200])
