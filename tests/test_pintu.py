"""Hostile and broken input at every door (issue 20): nothing runs, nothing leaks, nothing hangs,
every refusal names its file.

Each case is given to ``python -m lkj`` as a user runs it (check, preview, report, collect,
workbook, tandatangan, new-year), under a hang guard: a 60 s timeout and, on POSIX, a 1 GB
address-space limit (``RLIMIT_AS``), so that a regression fails instead of hanging or swapping
CI. Each refusal must exit 1 (2 for argparse), name the file (and the key, row, column or limit),
print no traceback, not echo what a link points to, and leave the last good report as it was.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from conftest import RAW_2022, ROOT, report_args
from PIL import Image

from lkj.data.forms.write import write_forms
from lkj.data.ingest import read_raw
from lkj.data.newyear import new_year
from lkj.data.processed import write_workbook

TIMEOUT = 60
ADDRESS_SPACE = 1 << 30
SECRET = "/etc/hostname"  # a file outside the data root every POSIX machine has


def _guard() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def lkj(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m lkj ARGS`` under the hang guard."""
    return subprocess.run(
        [sys.executable, "-m", "lkj", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        preexec_fn=_guard if os.name == "posix" else None,
    )


def refused(done: subprocess.CompletedProcess, *words: str, code: int = 1) -> str:
    """The run was refused with ``code``, in one message holding every one of ``words``."""
    err = done.stderr
    assert done.returncode == code, (done.returncode, err[-2000:], done.stdout[-500:])
    assert "Traceback" not in err and "Traceback" not in done.stdout, err[-3000:]
    for word in words:
        assert word in err, (word, err)
    return err


def _raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    shutil.copytree(RAW_2022, root / "2022")
    return root


def _set_instansi(root: Path, key: str, value: str) -> None:
    path = root / "2022" / "instansi.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    rows = [r for r in rows if r and r[0] != key] + [[key, value]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _check(root: Path) -> subprocess.CompletedProcess:
    return lkj("check", "--year", "2022", "--raw", str(root))


# ----- files named by the data stay inside data/raw ------------------------------------------


def _lambang_link(root: Path) -> None:
    _set_instansi(root, "lambang", "lambang.png")
    (root / "2022" / "lambang.png").symlink_to(SECRET)


def _lambang_dotdot(root: Path) -> None:
    outside = root.parent / "luar.png"
    Image.new("RGB", (4, 4)).save(outside)
    _set_instansi(root, "lambang", "../../luar.png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    """A PNG of the given size with no pixel data: what a reader sees of its header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"") + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _lambang_huge(root: Path) -> None:  # 30 000 x 30 000 px: 900 megapixels, in 57 bytes
    (root / "lambang.png").write_bytes(_png_header(30000, 30000))
    _set_instansi(root, "lambang", "lambang.png")


def _lambang_not_png(root: Path) -> None:
    (root / "2022" / "lambang.png").write_bytes(b"GIF89a" + b"\0" * 64)
    _set_instansi(root, "lambang", "lambang.png")


def _lambang_svg(root: Path) -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="file://{SECRET}"/></svg>'
    (root / "2022" / "lambang.svg").write_text(svg, encoding="utf-8")
    _set_instansi(root, "lambang", "lambang.svg")


def _narasi_link(root: Path) -> None:
    target = root / "2022" / "narasi" / "kata_pengantar.md"
    target.unlink()
    target.symlink_to(SECRET)


def _narasi(name: str, text: str) -> callable:
    def write(root: Path) -> None:
        (root / "2022" / "narasi" / name).write_text(text, encoding="utf-8")

    return write


LOOPS = "Teks.\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _control(root: Path) -> None:
    path = root / "2022" / "sub_kegiatan.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[3][rows[0].index("nama_sub_kegiatan")] += "\x07\x1b[2J"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _big_csv(root: Path) -> None:
    with (root / "2022" / "ormas.csv").open("ab") as f:
        f.write(b"x" * (33 << 20))  # one 33 MB line


CHECK_CASES = {
    "lambang linked outside": (
        _lambang_link,
        ["instansi.csv, kunci lambang", "lambang.png", "luar folder data"],
    ),
    "lambang ../": (_lambang_dotdot, ["kunci lambang", "luar.png", "luar folder data"]),
    "lambang 900 megapixels": (_lambang_huge, ["kunci lambang", "lambang_megapiksel = 40"]),
    "lambang not a png": (_lambang_not_png, ["kunci lambang", "bukan gambar PNG"]),
    "narasi linked outside": (_narasi_link, ["narasi/kata_pengantar.md", "luar folder data"]),
    "narasi endless loops": (
        _narasi("penutup.md", LOOPS),
        ["narasi/penutup.md, baris 3", "narasi_operasi = 2000000"],
    ),
    "narasi include": (
        _narasi("bab3_analisis.md", "a\n\n{% include 'penutup.md' %}"),
        ["narasi/bab3_analisis.md, baris 3", "include"],
    ),
    "narasi string doubling": (
        _narasi(
            "penutup.md",
            "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        ),
        ["narasi/penutup.md, baris 1", "narasi_keluaran_kb"],
    ),
    "narasi file name with ESC": (
        _narasi("catatan\x1b[31m.md", "{{ tidak_ada }}"),
        ["narasi/catatan\\x1b[31m.md, baris 1", "nama nilai tidak dikenal"],
    ),
    "narasi file name not UTF-8": (
        _narasi(os.fsdecode(b"catatan\xff.md"), "{{ tidak_ada }}"),
        ["narasi/catatan\\udcff.md, baris 1", "nama nilai tidak dikenal"],
    ),
    "lambang svg reading another file": (
        _lambang_svg,
        ["kunci lambang", "lambang.svg", "merujuk berkas atau alamat lain"],
    ),
    "control characters": (
        _control,
        ["sub_kegiatan.csv, baris 4, kolom nama_sub_kegiatan", "karakter kendali \\x07"],
    ),
    "a 33 MB CSV line": (_big_csv, ["ormas.csv", "csv_mb = 32"]),
}


# The check cases run in one guarded process (python -m lkj's own main, once per case: the
# 60 s and 1 GB guard covers them all): a process per case would cost its start-up each time.
BATCH = """
import contextlib, io, json, sys, traceback
from lkj.cli import main
out = {}
for name, root in json.loads(sys.argv[1]).items():
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["check", "--year", "2022", "--raw", root])
        except BaseException:
            code, _ = -1, traceback.print_exc(file=err)
    out[name] = [code, err.getvalue()]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    roots = {}
    for i, (case, (make, _)) in enumerate(CHECK_CASES.items()):
        root = _raw(tmp_path_factory.mktemp(f"case{i}"))
        make(root)
        roots[case] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", BATCH, json.dumps(roots)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        preexec_fn=_guard if os.name == "posix" else None,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.splitlines()[-1])
    return {k: subprocess.CompletedProcess([], code, "", err) for k, (code, err) in results.items()}


@pytest.mark.parametrize("case", list(CHECK_CASES))
def test_check_refuses_with_the_file_named(checked, case):
    err = refused(checked[case], *CHECK_CASES[case][1])
    assert len(err.strip().splitlines()) == 1, err  # one line
    assert "\x1b" not in err and "\x07" not in err  # nothing raw reaches the terminal
    assert Path(SECRET).read_text() not in err  # what a link points to is never shown


# ----- workbooks: bounded reading ------------------------------------------------------------


@pytest.fixture(scope="module")
def book_2022(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("book") / "lkj_2022.xlsx"
    write_workbook(read_raw(2022, RAW_2022.parent), path)
    return path


@pytest.fixture(scope="module")
def bomb(book_2022) -> Path:
    out = book_2022.with_name("bomb.xlsx")
    _bomb(book_2022, out)
    return out


def _far_cell(book: Path, out: Path, ref: str) -> None:
    wb = openpyxl.load_workbook(book)
    wb["program"][ref] = "x"
    wb.save(out)


def _bomb(book: Path, out: Path) -> None:
    """A workbook of about 150 KB whose first sheet unpacks to 128 MB (an XML comment of
    spaces): past workbook_mb = 100 and formulir_mb = 20."""
    with zipfile.ZipFile(book) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, 1) as new:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                i = data.index(b">") + 1
                data = data[:i] + b"<!--" + b" " * (128 << 20) + b"-->" + data[i:]
            new.writestr(info.filename, data)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("XFD2000", ["sheet program, baris 2000", "kolom ke-16384", "workbook_kolom = 120"]),
        ("A1048576", ["sheet program, baris 1048576", "workbook_baris = 50000"]),
        ("bomb", ["lkj_2022.xlsx", "128 MB", "workbook_mb = 100"]),
    ],
)
def test_workbook_limits(tmp_path, book_2022, bomb, case, words):
    root = tmp_path / "raw"
    (root / "2022").mkdir(parents=True)
    out = root / "2022" / "lkj_2022.xlsx"
    shutil.copy(bomb, out) if case == "bomb" else _far_cell(book_2022, out, case)
    refused(_check(root), *words)


def test_workbook_command_writes_text_as_text(tmp_path):
    """make workbook: kepala_nama =HYPERLINK(...) and a sub kegiatan =1+1 come out as text
    cells (no <f> in any sheet) and read back as written; with BEL in a name, refused."""
    root = _raw(tmp_path)
    link = '=HYPERLINK("http://contoh.invalid","klik")'
    _set_instansi(root, "kepala_nama", link)
    out = tmp_path / "mentah.xlsx"
    done = lkj("workbook", "--year", "2022", "--raw", str(root), "--out", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 16
        assert all(b"<f>" not in z.read(n) for n in sheets)
    ws = openpyxl.load_workbook(out)["instansi"]
    values = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values["kepala_nama"] == link
    _control(root)
    refused(
        lkj("workbook", "--year", "2022", "--raw", str(root), "--out", str(tmp_path / "b.xlsx")),
        "sub_kegiatan.csv, baris 4",
    )
    assert not (tmp_path / "b.xlsx").exists()


# ----- collect: a form read within its limit -------------------------------------------------


def test_collect_refuses_a_form_bomb(raw_root, tmp_path, bomb):
    new_year(2023, raw_root)
    forms = tmp_path / "forms"
    written = write_forms(2023, raw_root, forms)
    victim = written[0].path
    shutil.copy(bomb, victim)
    before = (raw_root / "2023" / "sub_kegiatan.csv").read_bytes()
    done = lkj("collect", "--year", "2023", "--raw", str(raw_root), "--dir", str(forms))
    out = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in out, out[-2000:]
    assert f"{victim.name}: workbook terurai menjadi 128 MB, melebihi batas formulir_mb" in out
    # the unit of the broken form is listed missing; nothing of it was written
    assert (raw_root / "2023" / "sub_kegiatan.csv").read_bytes() == before


# ----- the commands that build: the last good report stays ----------------------------------


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built_copy(built_2022, tmp_path) -> Path:
    """A copy of the session's good 2022 report (raw, out, processed) to break."""
    base = tmp_path / "b"
    shutil.copytree(built_2022, base, symlinks=True)
    return base


@pytest.mark.parametrize("command", ["report", "preview"])
def test_report_and_preview_refuse_a_linked_lambang(built_copy, command):
    out = built_copy / "out" / "2022"
    before = _tree(out)
    _lambang_link(built_copy / "raw")
    args = report_args(built_copy)
    args[0] = command
    err = refused(lkj(*args), "instansi.csv, kunci lambang", "luar folder data")
    assert Path(SECRET).read_text() not in err
    assert _tree(out) == before  # the last good report untouched
    preview = built_copy / "out" / "2022-pratinjau"
    for page in preview.rglob("*.html") if preview.exists() else []:
        assert Path(SECRET).read_text().strip() not in page.read_text(encoding="utf-8")


def test_report_refuses_an_endless_narasi(built_copy):
    out = built_copy / "out" / "2022"
    before = _tree(out)
    _narasi("penutup.md", LOOPS)(built_copy / "raw")
    refused(lkj(*report_args(built_copy)), "narasi/penutup.md, baris 3", "narasi_operasi")
    assert _tree(out) == before


def test_tandatangan_refuses_an_endless_p12(built_2022):
    done = lkj(
        "tandatangan",
        "--year",
        "2022",
        "--p12",
        "/dev/zero",
        "--raw",
        str(built_2022 / "raw"),
        "--output",
        str(built_2022 / "out" / "2022"),
        "--processed",
        str(built_2022 / "processed" / "2022"),
        "--arsip",
        str(built_2022 / "arsip-uji"),
        env={"LKJ_P12_PASSWORD": "uji"},
    )
    refused(done, "/dev/zero", "p12_kb = 1024")
    assert not (built_2022 / "arsip-uji").exists() or not any(
        (built_2022 / "arsip-uji").rglob("*.pdf")
    )


def test_new_year_refuses_an_absurd_year(tmp_path):
    done = lkj("new-year", "--year", "100000000000000000000", "--raw", str(tmp_path))
    refused(done, "--year", "100000000000000000000 di luar 1990-2100", code=2)
    assert list(tmp_path.iterdir()) == []
