"""Cover and signature block (lkj.document.sampul): what they show, what is missing, escaping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup
from PIL import Image

from lkj.core.config import load_config
from lkj.document.sampul import (
    SIGNATURE_ANCHOR,
    cover_data,
    cover_html,
    info_lookup,
    signature_html,
    signer_data,
)

DOKUMEN = load_config().dokumen
INSTANSI = {
    "nama_instansi": "Badan Kesatuan Bangsa dan Politik",
    "kabupaten": "Kabupaten Belitung Timur",
    "urusan": "Urusan Pemerintahan Umum",
    "tempat_penetapan": "Manggar",
    "kepala_nama": "YUSMAWANDI, S.Pd",
    "kepala_pangkat": "Pembina Tk. I / IV.b",
    "kepala_nip": "19670118 199003 1 002",
}


def _info(**changes):
    values = {**INSTANSI, **changes}
    frame = pd.DataFrame({"kunci": list(values), "nilai": list(values.values())})
    return info_lookup(frame)


def _year_dir(tmp_path: Path) -> Path:
    year = tmp_path / "raw" / "2022"
    year.mkdir(parents=True)
    return year


def test_cover_shows_title_agency_and_lambang(tmp_path):
    year = _year_dir(tmp_path)
    Image.new("RGB", (12, 10), "red").save(year / "lambang_beltim.png")
    cover = cover_data(_info(lambang="lambang_beltim.png"), 2022, year, DOKUMEN)
    assert cover.notes == ()
    assert cover.lambang == year / "lambang_beltim.png"
    soup = BeautifulSoup(str(cover_html(cover)), "html.parser")
    assert soup.h1.get_text() == "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022"
    assert soup.select_one("p.instansi").get_text("|") == (
        "BADAN KESATUAN BANGSA DAN POLITIK|KABUPATEN BELITUNG TIMUR"
    )
    img = soup.select_one("div.lambang img")
    assert img["src"].startswith("data:image/png;base64,")
    assert img["alt"] == "Lambang Kabupaten Belitung Timur"
    meta = {m["name"]: m["content"] for m in soup.find_all("meta")}
    assert meta["author"] == "Badan Kesatuan Bangsa dan Politik Kabupaten Belitung Timur"
    assert meta["dcterms.title"] == "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022"
    assert "DATA SINTETIS" not in meta["keywords"] and soup.select_one("p.sintetis") is None


def test_lambang_of_the_pemda_folder_serves_every_year(tmp_path):
    year = _year_dir(tmp_path)
    (year.parent / "lambang.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    cover = cover_data(_info(lambang="lambang.svg"), 2022, year, DOKUMEN)
    assert cover.lambang == year.parent / "lambang.svg" and cover.notes == ()
    img = BeautifulSoup(str(cover_html(cover)), "html.parser").select_one("div.lambang img")
    assert img["src"].startswith("data:image/svg+xml;base64,")


def test_missing_lambang_is_reported_and_the_slot_kept(tmp_path):
    year = _year_dir(tmp_path)
    no_key = cover_data(_info(), 2022, year, DOKUMEN)
    assert len(no_key.notes) == 1 and "tidak memuat kunci 'lambang'" in no_key.notes[0]
    missing = cover_data(_info(lambang="tidak_ada.png"), 2022, year, DOKUMEN)
    assert len(missing.notes) == 1
    assert "'tidak_ada.png'" in missing.notes[0] and str(year) in missing.notes[0]
    (year / "lambang.bmp").write_bytes(b"BM")
    wrong = cover_data(_info(lambang="lambang.bmp"), 2022, year, DOKUMEN)
    assert wrong.lambang is None and "bukan gambar" in wrong.notes[0]
    soup = BeautifulSoup(str(cover_html(missing)), "html.parser")
    slot = soup.select_one("section.sampul div.lambang")
    assert slot is not None and slot.find("img") is None


def test_synthetic_data_is_labelled(tmp_path):
    cover = cover_data(_info(data_sintetis="ya"), 2022, _year_dir(tmp_path), DOKUMEN)
    assert cover.synthetic
    soup = BeautifulSoup(str(cover_html(cover)), "html.parser")
    assert soup.select_one("p.sintetis").get_text() == "DATA SINTETIS"
    keywords = soup.find("meta", attrs={"name": "keywords"})["content"].split(", ")
    assert keywords[0] == "DATA SINTETIS"
    assert not cover_data(
        _info(data_sintetis="tidak"), 2022, _year_dir(tmp_path / "b"), DOKUMEN
    ).synthetic


def _lines(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [line.strip() for p in soup.select("div.ttd p") for line in p.get_text("\n").split("\n")]


def test_signature_block_lines():
    signer = signer_data(_info(), 2022)
    html = str(signature_html(signer, SIGNATURE_ANCHOR))
    assert _lines(html) == [
        "Manggar, ........................ 2023",
        "Kepala Badan Kesatuan Bangsa dan Politik",
        "Kabupaten Belitung Timur,",
        "YUSMAWANDI, S.Pd",
        "Pembina Tk. I / IV.b",
        "NIP. 19670118 199003 1 002",
    ]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("div.ttd-ruang")["id"] == SIGNATURE_ANCHOR


def test_signature_block_without_nip_pangkat_and_with_own_jabatan_and_date():
    info = _info(
        kepala_nip="",
        kepala_pangkat="",
        kepala_jabatan="Plt. Kepala Badan|Kabupaten Belitung Timur",
        tanggal_penetapan="31 Januari 2023",
    )
    html = str(signature_html(signer_data(info, 2022)))
    assert _lines(html) == [
        "Manggar, 31 Januari 2023",
        "Plt. Kepala Badan",
        "Kabupaten Belitung Timur,",
        "YUSMAWANDI, S.Pd",
    ]
    assert "NIP" not in html
    assert 'id="' not in html  # only the block that is signed has the anchor


def test_text_from_data_is_escaped():
    signer = signer_data(_info(kepala_nama="<script>alert(1)</script>"), 2022)
    html = str(signature_html(signer))
    assert "<script>" not in html and "&lt;script&gt;" in html
