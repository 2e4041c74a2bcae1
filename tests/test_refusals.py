"""Refusals not tested elsewhere: signing a report its data has outrun, overwriting a demo
pemda without --force, a Dask scheduler nobody answers at. Each gives one clear Indonesian
line, a non-zero exit where it is a command, and leaves what was there as it was."""

from __future__ import annotations

import csv
import os
import socket

import pytest
from conftest import run_lkj

from lkj.core.errors import LkjError
from lkj.run.paths import Paths
from lkj.tandatangan.arsip import _source


@pytest.mark.e2e
def test_signing_a_stale_report_is_refused(built_2022, tmp_path):
    """The session's report, its data then changed (and put back after): signing refuses.
    (Not a copy: the report's record of its inputs names them by their absolute paths.)"""
    raw, out = built_2022 / "raw", built_2022 / "out" / "2022"
    processed = built_2022 / "processed" / "2022"
    paths = Paths.resolve(2022, raw, processed, out)
    # up to date: the report is the one to sign (so the refusal below is for staleness alone)
    assert _source(paths, 2022, None)[0] == out / "LKj_2022.pdf"
    sub = raw / "2022" / "sub_kegiatan.csv"
    original, stamp = sub.read_text(encoding="utf-8"), sub.stat()
    rows = list(csv.reader(original.splitlines()))
    rows[1][rows[0].index("realisasi_anggaran_rp")] = "3571000"  # was 3570000
    pdf = (out / "LKj_2022.pdf").read_bytes()
    arsip = tmp_path / "arsip"
    try:
        with sub.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        done = run_lkj(
            "tandatangan", "--year", "2022", "--p12", str(tmp_path / "tidak-ada.p12"),
            "--raw", str(raw), "--processed", str(processed), "--output", str(out),
            "--arsip", str(arsip),
        )  # fmt: skip
    finally:  # content and time put back: the newest raw file's time is the report's date
        sub.write_text(original, encoding="utf-8")
        os.utime(sub, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.endswith(
        "LKj_2022.pdf: laporan tidak mutakhir (data, pengaturan atau kode berubah sejak "
        "laporan dibuat); jalankan dulu: make report YEAR=2022, periksa, lalu tanda tangani"
    ), line
    assert not arsip.exists()
    assert (out / "LKj_2022.pdf").read_bytes() == pdf
    assert _source(paths, 2022, None)[0] == out / "LKj_2022.pdf"  # the data put back


def test_a_demo_pemda_is_not_overwritten_without_force(tmp_path):
    first = run_lkj("contoh-pemda", "--jumlah", "2", "--dir", str(tmp_path))
    assert first.returncode == 0, first.stderr
    target = tmp_path / "contoh"
    note = target / "catatan-pengguna.txt"
    note.write_text("jangan hilang", encoding="utf-8")
    before = sorted(p.relative_to(target) for p in target.rglob("*"))
    again = run_lkj("contoh-pemda", "--jumlah", "2", "--dir", str(tmp_path))
    assert again.returncode == 1
    (line,) = again.stderr.strip().splitlines()
    assert line.endswith("sudah ada; hapus dulu atau pakai --force untuk menimpanya"), line
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == before
    forced = run_lkj("contoh-pemda", "--jumlah", "2", "--dir", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not note.exists()


def test_an_unreachable_scheduler_is_refused(monkeypatch):
    """A scheduler address nobody listens at: a clear refusal (LkjError), no cluster line.
    The client's 30 s connect timeout is shortened here; what is tested is the refusal."""
    import distributed

    from lkj.pemda.cluster import dask_client

    real = distributed.Client
    monkeypatch.setattr(distributed, "Client", lambda address, timeout: real(address, timeout="2s"))
    with socket.socket() as s:  # a free port: bound, then closed, so nobody listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    logged: list[str] = []
    with pytest.raises(LkjError) as refused, dask_client(address, None, 3, logged.append):
        pytest.fail("connected to a scheduler nobody runs")
    assert str(refused.value).startswith(f"scheduler Dask {address} tidak dapat dihubungi: OSError")
    assert logged == []
