"""The 2022 report's tables as they must read, derived here from the raw rows of data/raw/2022.

Everything is computed with csv and Decimal, never through lkj: sums, serapan, the anggaran-
weighted physical capaian (from the capaian printed per sub kegiatan, as test_audit.py does),
the categories of config/lkj.toml's scales (re-stated below as numbers), the Indonesian number
texts. ``expected_tables()`` returns, per table (found by the start of its caption), the rows
in order as {column header: cell text}; tests/test_cells_from_raw.py compares them with the
HTML, the DOCX and the PDF of the built report.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw" / "2022"
YEAR = 2022
HUNDRED = Decimal(100)
# config/lkj.toml [skala.realisasi]: above 90, 75, 65, 50 (Permendagri 86/2017)
REALISASI = [(90, "Sangat Tinggi"), (75, "Tinggi"), (65, "Sedang"), (50, "Rendah")]
# [skala.predikat] (PermenPAN-RB 53/2014): above 90, 80, 70, 60, 50, 30
PREDIKAT = [
    (90, "AA", "Sangat Memuaskan"),
    (80, "A", "Memuaskan"),
    (70, "BB", "Sangat Baik"),
    (60, "B", "Baik"),
    (50, "CC", "Cukup"),
    (30, "C", "Kurang"),
]
INDEKS = "Indeks efisiensi"  # its precision is issue 19's: compared by value here


def rows(name: str) -> list[dict[str, str]]:
    with open(RAW / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def num(value: Decimal | int, decimals: int = 0) -> str:
    """Indonesian number text by hand: 1.367.655.230 / 81,95 (half away from zero)."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """A percentage as printed (2 decimals, half away from zero)."""
    return (part / whole * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def kategori(value: Decimal) -> str:
    return next((label for above, label in REALISASI if value > above), "Sangat Rendah")


def predikat(value: Decimal) -> tuple[str, str]:
    return next(
        ((k, label) for above, k, label in PREDIKAT if value > above), ("D", "Sangat Kurang")
    )


def raw_text(value: str) -> str:
    """A raw whole number as the report prints it."""
    return num(Decimal(value))


SUB = rows("sub_kegiatan")
KEGIATAN = rows("kegiatan")
PROGRAM = rows("program")
SASARAN = rows("sasaran")
TUJUAN = {r["kode_tujuan"]: r for r in rows("tujuan")}
INDIKATOR = rows("indikator")
KINERJA = {(r["kode_indikator"], int(r["tahun"])): r for r in rows("kinerja_indikator")}
RENSTRA = {(r["kode_indikator"], int(r["tahun"])): r["target"] for r in rows("target_renstra")}
PROGRAM_OF = {r["kode_kegiatan"]: r["kode_program"] for r in KEGIATAN}
SASARAN_OF = {r["kode_program"]: r["kode_sasaran"] for r in PROGRAM}


def anggaran(subs) -> Decimal:
    return sum((Decimal(r["anggaran_rp"]) for r in subs), Decimal(0))


def realisasi(subs) -> Decimal:
    return sum((Decimal(r["realisasi_anggaran_rp"]) for r in subs), Decimal(0))


def capaian(row: dict[str, str]) -> Decimal:
    return pct(Decimal(row["realisasi_fisik"]), Decimal(row["target_fisik"]))


def weighted(subs) -> Decimal:
    total = sum((capaian(r) * Decimal(r["anggaran_rp"]) for r in subs), Decimal(0))
    return (total / anggaran(subs)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def subs_of(level: str, code: str) -> list[dict[str, str]]:
    def key(r):
        program = PROGRAM_OF[r["kode_kegiatan"]]
        return {"kegiatan": r["kode_kegiatan"], "program": program}.get(level) or SASARAN_OF[
            program
        ]

    return [r for r in SUB if key(r) == code]


def money(subs) -> dict[str, str]:
    """Anggaran, realisasi, serapan and its kategori of some sub kegiatan."""
    a, r = anggaran(subs), realisasi(subs)
    s = pct(r, a)
    return {"Anggaran (Rp)": num(a), "Realisasi (Rp)": num(r), "Serapan (%)": num(s, 2)} | {
        "Kategori": kategori(s)
    }


def indikator_of(sasaran: str) -> dict[str, str]:
    (hit,) = [i for i in INDIKATOR if i["kode_sasaran"] == sasaran]
    return hit


def capaian_indikator(kode: str, year: int) -> Decimal:
    k = KINERJA[(kode, year)]
    return pct(Decimal(k["realisasi"]), Decimal(k["target"]))


def _pegawai() -> dict[str, list[dict[str, str]]]:
    out = {}
    data = rows("pegawai")
    for number, (kategori_, header) in enumerate(
        [
            ("unit_kerja", "Unit Kerja"),
            ("golongan", "Golongan"),
            ("eselon", "Eselon"),
            ("pendidikan", "Pendidikan"),
            ("status", "Status"),
        ],
        start=1,
    ):
        mine = [r for r in data if r["kategori"] == kategori_]
        table, totals = [], defaultdict(Decimal)
        for no in dict.fromkeys(r["no"] for r in mine):
            by_year = {r["tahun"]: r for r in mine if r["no"] == no}
            row = {"No": no, header: by_year[str(YEAR)]["uraian"]}
            for year in (YEAR - 1, YEAR):
                row[f"Jumlah / {year}"] = raw_text(by_year[str(year)]["jumlah"])
                totals[year] += Decimal(by_year[str(year)]["jumlah"])
            table.append(row)
        foot = {"No": "", header: "Jumlah"}
        foot |= {f"Jumlah / {y}": num(totals[y]) for y in (YEAR - 1, YEAR)}
        out[f"Tabel 1.{number} "] = [*table, foot]
    sarana = rows("sarana_prasarana")
    table = []
    for no in dict.fromkeys(r["no"] for r in sarana):
        by_year = {r["tahun"]: r for r in sarana if r["no"] == no}
        row = {"No": no, "Sarana dan Prasarana": by_year[str(YEAR)]["uraian"]}
        row |= {f"Jumlah / {y}": raw_text(by_year[str(y)]["jumlah"]) for y in (YEAR - 1, YEAR)}
        table.append(row)
    out["Tabel 1.6 "] = table
    return out


def _rencana() -> dict[str, list[dict[str, str]]]:
    t23, t26, t32, t33, rkt = [], [], [], [], []
    for no, s in enumerate(SASARAN, start=1):
        ind = indikator_of(s["kode_sasaran"])
        k = KINERJA[(ind["kode_indikator"], YEAR)]
        base = {"No": str(no)}
        row = base | {
            "Tujuan": TUJUAN[s["kode_tujuan"]]["uraian_tujuan"],
            "Sasaran": s["uraian_sasaran"],
            "Indikator Sasaran": ind["uraian_indikator"],
            "Kondisi awal": raw_text(ind["kondisi_awal"]),
        }
        for year in range(YEAR, YEAR + 5):
            row[f"Target Kinerja Sasaran pada Tahun / {year}"] = raw_text(
                RENSTRA[(ind["kode_indikator"], year)]
            )
        t23.append(row | {"Target akhir": raw_text(ind["target_akhir_renstra"])})
        t26.append(
            base
            | {
                "Sasaran Strategis": s["uraian_sasaran"],
                "Indikator Kinerja": ind["uraian_indikator"],
            }
            | {"Satuan": ind["satuan"], f"Target {YEAR}": raw_text(k["target"])}
        )
        sasaran = {"Sasaran": s["uraian_sasaran"], "Indikator Kinerja": ind["uraian_indikator"]}
        t32.append(base | sasaran | {f"Rencana Tahun {YEAR}": raw_text(k["target"]) + "%"})
        c = capaian_indikator(ind["kode_indikator"], YEAR)
        t33.append(
            base
            | sasaran
            | {"Satuan": ind["satuan"], "Target": raw_text(k["target"])}
            | {"Realisasi": raw_text(k["realisasi"]), "Capaian Kinerja (%)": num(c, 2)}
            | {"Predikat": " ".join(predikat(c))}
        )
        head = {
            "Sasaran": s["uraian_sasaran"],
            "Indikator": ind["uraian_indikator"],
            "Target": f"{raw_text(k['target'])} {ind['satuan']}",
        }
        programs = [p["kode_program"] for p in PROGRAM if p["kode_sasaran"] == s["kode_sasaran"]]
        for g in (g for g in KEGIATAN if g["kode_program"] in programs):
            subs = subs_of("kegiatan", g["kode_kegiatan"])
            rkt.append(head | {"Kegiatan / Sub Kegiatan": g["nama_kegiatan"]})
            rkt[-1]["Anggaran (Rp)"] = num(anggaran(subs))
            for r in subs:
                rkt.append(head | {"Kegiatan / Sub Kegiatan": "– " + r["nama_sub_kegiatan"]})
                rkt[-1]["Anggaran (Rp)"] = num(Decimal(r["anggaran_rp"]))
    langsung = [r for r in SUB if SASARAN_OF[PROGRAM_OF[r["kode_kegiatan"]]]]
    rkt.append(
        {"Sasaran": "Jumlah", "Indikator": "", "Target": "", "Kegiatan / Sub Kegiatan": ""}
        | {"Anggaran (Rp)": num(anggaran(langsung))}
    )
    return {
        "Tabel 2.3 ": t23,
        "Tabel 2.5 ": rkt,
        "Tabel 2.6 ": t26,
        "Tabel 3.2 ": t32,
        "Tabel 3.3 ": t33,
    }


def _per_sasaran() -> dict[str, list[dict[str, str]]]:
    """Per sasaran: the indicator over the years, its sub kegiatan, their efficiency."""
    out = {}
    for s in SASARAN:
        nomor, ind = s["nomor_seed"], indikator_of(s["kode_sasaran"])
        akhir = Decimal(ind["target_akhir_renstra"])
        table = []
        for no, year in enumerate((YEAR - 1, YEAR), start=1):
            k = KINERJA[(ind["kode_indikator"], year)]
            c = capaian_indikator(ind["kode_indikator"], year)
            table.append(
                {"No": str(no), "Indikator Sasaran": ind["uraian_indikator"]}
                | {"Satuan": ind["satuan"], "Tahun": str(year), "Target": raw_text(k["target"])}
                | {"Realisasi": raw_text(k["realisasi"]), "Capaian Kinerja (%)": num(c, 2)}
                | {"Predikat": " ".join(predikat(c)), "Target akhir Renstra": num(akhir)}
                | {
                    "Capaian thd. target akhir Renstra (%)": num(
                        pct(Decimal(k["realisasi"]), akhir), 2
                    )
                }
            )
        out[f"Evaluasi Pengukuran Capaian Kinerja Sasaran {nomor}"] = table
        subs = subs_of("sasaran", s["kode_sasaran"])
        table, efisiensi = [], []
        for no, r in enumerate(subs, start=1):
            c = capaian(r)
            table.append(
                {"No": str(no), "Sub Kegiatan": r["nama_sub_kegiatan"]}
                | {"Unsur Keterwakilan / Kelompok Sasaran": r["kelompok_sasaran"]}
                | {
                    "Target": raw_text(r["target_fisik"]),
                    "Realisasi": raw_text(r["realisasi_fisik"]),
                }
                | {"Satuan": r["satuan"], "Capaian (%)": num(c, 2), "Kategori": kategori(c)}
            )
            efisiensi.append({"No": str(no), "Sub Kegiatan": r["nama_sub_kegiatan"]} | _ie([r], c))
        efisiensi.append({"No": "", "Sub Kegiatan": "Jumlah"} | _ie(subs, weighted(subs)))
        out[f"Tingkat Capaian Kinerja Sasaran {nomor} "] = table
        out[f"Analisis Efisiensi Sasaran {nomor}"] = efisiensi
    return out


def _ie(subs, c: Decimal) -> dict[str, str]:
    m = money(subs)
    serapan = pct(realisasi(subs), anggaran(subs))
    ie = (c / serapan).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"Anggaran (Rp)": m["Anggaran (Rp)"], "Realisasi (Rp)": m["Realisasi (Rp)"]} | {
        "Capaian fisik (%)": num(c, 2),
        "Serapan anggaran (%)": num(serapan, 2),
        INDEKS: num(ie, 2),
    }


def _anggaran() -> dict[str, list[dict[str, str]]]:
    lra = rows("lra")
    t310 = [{"Jenis Belanja": "Belanja Daerah"} | _lra(lra)]
    for kelompok in dict.fromkeys(r["kelompok_belanja"] for r in lra):
        mine = [r for r in lra if r["kelompok_belanja"] == kelompok]
        t310.append({"Jenis Belanja": kelompok} | _lra(mine))
        t310 += [{"Jenis Belanja": "– " + r["jenis_belanja"]} | _lra([r]) for r in mine]
    t310 = [{"No": str(n)} | r for n, r in enumerate(t310, start=1)]

    penunjang = [r for r in SUB if not SASARAN_OF[PROGRAM_OF[r["kode_kegiatan"]]]]
    langsung = [r for r in SUB if r not in penunjang]
    first = "Belanja penunjang (tidak terkait sasaran)"
    t311 = [
        {"No": "1", "Uraian": first} | _m(penunjang),
        {"No": "2", "Uraian": "Belanja langsung untuk sasaran"} | _m(langsung),
        {"No": "", "Uraian": "Jumlah"} | _m(SUB) | {"Kategori": ""},
    ]
    t312, t313 = [], []
    for no, s in enumerate(SASARAN, start=1):
        code = s["kode_sasaran"]
        programs = [p for p in PROGRAM if p["kode_sasaran"] == code]
        subs = subs_of("sasaran", code)
        t312.append(
            {"No": str(no), "Sasaran Strategis": s["uraian_sasaran"]}
            | {"Jml Prog": str(len(programs)), "Jml Sub Keg": str(len(subs))}
            | _m(subs)
        )
        t313.append(
            {"Sasaran / Program / Sub Kegiatan": "Sasaran: " + s["uraian_sasaran"]} | _m(subs)
        )
        for p in programs:
            mine = subs_of("program", p["kode_program"])
            t313.append({"Sasaran / Program / Sub Kegiatan": p["nama_program"]} | _m(mine))
            t313 += [
                {"Sasaran / Program / Sub Kegiatan": "– " + r["nama_sub_kegiatan"]} | _m([r])
                for r in mine
            ]
    n_programs = sum(1 for p in PROGRAM if p["kode_sasaran"])
    t312.append(
        {"No": "", "Sasaran Strategis": "Jumlah", "Jml Prog": str(n_programs)}
        | {"Jml Sub Keg": str(len(langsung))}
        | _m(langsung)
        | {"Kategori": ""}
    )
    t313.append({"Sasaran / Program / Sub Kegiatan": "Jumlah"} | _m(langsung) | {"Kategori": ""})
    t314 = [
        {"No": str(n), "Program": p["nama_program"]} | _m(subs_of("program", p["kode_program"]))
        for n, p in enumerate(PROGRAM, start=1)
    ]
    t314.append({"No": "", "Program": "Jumlah"} | _m(SUB) | {"Kategori": ""})
    a, r = anggaran(SUB), realisasi(SUB)
    t320 = [
        {"Tahun": str(YEAR), "Anggaran (Rp)": num(a), "Realisasi (Rp)": num(r)}
        | {"Serapan (%)": num(pct(r, a), 2), "SILPA (Rp)": num(a - r)}
        | {"Kategori": kategori(pct(r, a))}
    ]
    return {
        "Tabel 3.10 ": t310,
        "Tabel 3.11 ": t311,
        "Tabel 3.12 ": t312,
        "Tabel 3.13 ": t313,
        "Tabel 3.14 ": t314,
        "Tabel 3.20 ": t320,
    }


def _m(subs) -> dict[str, str]:
    return money(subs)


def _lra(lra) -> dict[str, str]:
    a = sum((Decimal(r["anggaran_rp"]) for r in lra), Decimal(0))
    r = sum((Decimal(r["realisasi_rp"]) for r in lra), Decimal(0))
    s = pct(r, a)
    return {"Anggaran (Rp)": num(a), "Realisasi (Rp)": num(r), "Serapan (%)": num(s, 2)} | {
        "Kategori": kategori(s)
    }


def _kinerja(subs, c: Decimal, fisik: bool = False) -> dict[str, str]:
    a, r = anggaran(subs), realisasi(subs)
    s = pct(r, a)
    out = {}
    if fisik:
        (row,) = subs
        out = {"Kinerja / Target Fisik": raw_text(row["target_fisik"])}
        out["Kinerja / Realisasi Fisik"] = raw_text(row["realisasi_fisik"])
    return out | {
        "Kinerja / Capaian Kinerja (%)": num(c, 2),
        "Kinerja / Kategori Kinerja": kategori(c),
        "Keuangan / Anggaran (Rp)": num(a),
        "Keuangan / Realisasi Anggaran (Rp)": num(r),
        "Keuangan / Capaian Anggaran (%)": num(s, 2),
        "Keuangan / Kategori Anggaran": kategori(s),
    }


def _capaian_tables() -> dict[str, list[dict[str, str]]]:
    blank = {"Kinerja / Capaian Kinerja (%)": "", "Kinerja / Kategori Kinerja": ""}
    total = _kinerja(SUB, Decimal(0)) | blank | {"Keuangan / Kategori Anggaran": ""}
    t315 = [
        {"No": str(n), "Program": p["nama_program"]}
        | _kinerja(
            subs_of("program", p["kode_program"]), weighted(subs_of("program", p["kode_program"]))
        )
        for n, p in enumerate(PROGRAM, start=1)
    ]
    t316 = [
        {"No": str(n), "Kegiatan": g["nama_kegiatan"]}
        | _kinerja(
            subs_of("kegiatan", g["kode_kegiatan"]),
            weighted(subs_of("kegiatan", g["kode_kegiatan"])),
        )
        for n, g in enumerate(KEGIATAN, start=1)
    ]
    t317 = [
        {"No": str(n), "Sub Kegiatan": r["nama_sub_kegiatan"]} | _kinerja([r], capaian(r), True)
        for n, r in enumerate(SUB, start=1)
    ]
    fisik = {"Kinerja / Target Fisik": "", "Kinerja / Realisasi Fisik": ""}
    t319 = []
    for n, ind in enumerate(INDIKATOR, start=1):
        before = capaian_indikator(ind["kode_indikator"], YEAR - 1)
        now = capaian_indikator(ind["kode_indikator"], YEAR)
        t319.append(
            {
                "No": str(n),
                "Kode": ind["kode_indikator"],
                "Indikator Kinerja": ind["uraian_indikator"],
            }
            | {"Satuan": ind["satuan"], f"Capaian {YEAR - 1} (%)": num(before, 2)}
            | {f"Capaian {YEAR} (%)": num(now, 2)}
            | {f"Perubahan {YEAR - 1}–{YEAR} (poin)": num(now - before, 2)}
            | {f"Predikat {YEAR}": predikat(now)[1]}
        )
    ringkasan = []
    for n, s in enumerate(SASARAN, start=1):
        ind = indikator_of(s["kode_sasaran"])
        k = KINERJA[(ind["kode_indikator"], YEAR)]
        c = capaian_indikator(ind["kode_indikator"], YEAR)
        subs = subs_of("sasaran", s["kode_sasaran"])
        ringkasan.append(
            {"No": str(n), "Sasaran": s["uraian_sasaran"], "Indikator": ind["uraian_indikator"]}
            | {"Target": raw_text(k["target"]), "Realisasi": raw_text(k["realisasi"])}
            | {"Capaian (%)": num(c, 2), "Predikat": predikat(c)[1]}
            | {"Serapan anggaran sasaran (%)": num(pct(realisasi(subs), anggaran(subs)), 2)}
        )
    labels = [label for _, label in REALISASI] + ["Sangat Rendah"]
    counts = [
        {"Kategori": label}
        | {"Capaian fisik": str(sum(1 for r in SUB if kategori(capaian(r)) == label))}
        | {
            "Realisasi anggaran": str(
                sum(1 for r in SUB if kategori(pct(realisasi([r]), anggaran([r]))) == label)
            )
        }
        for label in labels
    ]
    counts.append(
        {"Kategori": "Jumlah", "Capaian fisik": str(len(SUB))}
        | {"Realisasi anggaran": str(len(SUB))}
    )
    return {
        "Capaian Sasaran Strategis Tahun": ringkasan,
        "Jumlah Sub Kegiatan per Kategori": counts,
        "Tabel 3.15 ": [*t315, {"No": "", "Program": "Jumlah"} | total],
        "Tabel 3.16 ": [*t316, {"No": "", "Kegiatan": "Jumlah"} | total],
        "Tabel 3.17 ": [*t317, {"No": "", "Sub Kegiatan": "Jumlah"} | fisik | total],
        "Tabel 3.19 ": t319,
    }


def _lampiran() -> dict[str, list[dict[str, str]]]:
    out = {}
    ormas = rows("ormas")
    for number, tabel in (("L.1", "dibentuk"), ("L.2", "terdata_terdaftar")):
        mine = [r for r in ormas if r["tabel"] == tabel]
        table = []
        for r in mine:
            a, b = Decimal(r["terdaftar"]), Decimal(r["terdata"])
            table.append(
                {"No": r["no"], "Kecamatan": r["kecamatan"], "Terdaftar": num(a), "Terdata": num(b)}
                | {"Jumlah": num(a + b)}
            )
        a = sum(Decimal(r["terdaftar"]) for r in mine)
        b = sum(Decimal(r["terdata"]) for r in mine)
        table.append(
            {"No": "", "Kecamatan": "Jumlah", "Terdaftar": num(a), "Terdata": num(b)}
            | {"Jumlah": num(a + b)}
        )
        out[f"Tabel {number} "] = table
    tka = rows("tenaga_kerja_asing")
    table = [
        {"No": str(n), "Perusahaan": r["perusahaan"], "Negara Asal": r["negara_asal"]}
        | {"Jumlah": raw_text(r["jumlah"])}
        for n, r in enumerate(tka, start=1)  # numbered anew: the raw "no" repeats a company
    ]
    total = sum(Decimal(r["jumlah"]) for r in tka)
    table.append({"No": "", "Perusahaan": "Jumlah", "Negara Asal": "", "Jumlah": num(total)})
    out["Tabel L.3 "] = table
    return out


def _transcribed() -> dict[str, list[dict[str, str]]]:
    """Tables that carry raw rows (2.4, L.4), config/lkj.toml's scales (3.1, 3.18) and the
    provenance lampiran (L.6: each raw file, its size and SHA-256; L.7: the versions installed)."""
    import hashlib
    import platform
    from importlib.metadata import version

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    t24 = []
    for no, s in enumerate(SASARAN, start=1):
        ind = indikator_of(s["kode_sasaran"])
        t24.append(
            {"No": str(no), "Sasaran / Sasaran Renstra OPD": s["uraian_sasaran"]}
            | {"Sasaran / Sasaran RPJMD": s["sasaran_rpjmd"]}
            | {"Indikator Kinerja Utama": ind["uraian_indikator"]}
            | {"Unit Penanggung Jawab": ind["unit_penanggung_jawab"]}
            | {"Sumber Data": ind["sumber_data"]}
        )
    config = tomllib.loads((RAW.parents[2] / "config" / "lkj.toml").read_text("utf-8"))
    t31 = [
        {"No": str(n), "Kategori": k["kode"], "Nilai": k["interval"], "Interpretasi": k["label"]}
        | {"Kode Warna": k["warna"]}
        for n, k in enumerate(config["skala"]["predikat"]["kategori"], start=1)
    ]
    t318 = [
        {"No": str(n), "Interval Nilai Realisasi Kinerja": k["interval"]}
        | {"Kriteria Penilaian Realisasi Kinerja": k["label"]}
        for n, k in enumerate(config["skala"]["realisasi"]["kategori"], start=1)
    ]
    tim = [
        {
            "No": r["no"],
            "Nama / NIP / Pangkat": f"{r['nama']} NIP. {r['nip']} {r['pangkat_golongan']}",
        }
        | {"Jabatan": r["jabatan"], "Jabatan dalam Tim": r["jabatan_dalam_tim"]}
        for r in rows("tim_penyusun")
    ]
    files = sorted(p for p in RAW.rglob("*") if p.is_file())
    t_files = [
        {"No": str(n), "File": p.relative_to(RAW.parent).as_posix()}
        | {"Ukuran (byte)": num(p.stat().st_size)}
        | {"SHA-256": hashlib.sha256(p.read_bytes()).hexdigest()}
        for n, p in enumerate(files, start=1)
    ]
    # the software that makes the report, each as installed here (the list is the spec)
    software = [("python", platform.python_version())] + [
        (name, version(name))
        for name in ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "typst", "babel")
    ]
    t_versions = [
        {"No": str(n), "Paket": name, "Versi": v} for n, (name, v) in enumerate(software, start=1)
    ]
    return {"Tabel 2.4 ": t24, "Tabel 3.1 ": t31, "Tabel 3.18 ": t318, "Tabel L.4 ": tim} | {
        "Tabel L.6 ": t_files,
        "Tabel L.7 ": t_versions,
    }


def expected_tables() -> dict[str, list[dict[str, str]]]:
    """Caption start -> the table's rows (body, then foot) as {header: text}, in order."""
    tables = _pegawai() | _rencana() | _per_sasaran() | _anggaran() | _capaian_tables()
    return tables | _lampiran() | _transcribed()
