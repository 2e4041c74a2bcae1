"""Electronic signature (lkj.tandatangan): certificates made here with `cryptography` (a
self-signed test CA; signers valid, expired and not yet valid, in PKCS#12 files), PDFs made by
the report's renderer (lkj.render.to_pdf) and the session's real report; every signature is
checked with pyHanko's validation API against the test CA as the only trust root.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from conftest import ROOT, report_args, run_lkj
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from lkj.core.config import load_config
from lkj.document.model import Cover, Document, Heading, Paragraph, Part, Signature
from lkj.document.sampul import SIGNATURE_ANCHOR, SIGNATURE_BOX_MM, Signer
from lkj.render import to_pdf
from lkj.render.notebook_export import SIGNATURE_FIELD
from lkj.tandatangan.arsip import archive_signed
from lkj.tandatangan.pades import pdfa_identification, sign_pdf
from lkj.tandatangan.placement import Place, find_place
from lkj.tandatangan.sertifikat import (
    ENV_PASSWORD,
    SigningError,
    load_credentials,
    read_password,
)

PASSWORD = b"rahasia-uji-123"
NOW = dt.datetime.now(dt.timezone.utc)
DAY = dt.timedelta(days=1)
PT_PER_MM = 72 / 25.4
# The signer of data/raw/2022/instansi.csv.
SIGNER = Signer(
    place_date="Manggar, ........................ 2023",
    jabatan=("Kepala Badan Kesatuan Bangsa dan Politik", "Kabupaten Belitung Timur"),
    name="YUSMAWANDI, S.Pd",
    pangkat="Pembina Tk. I / IV.b",
    nip="19670118 199003 1 002",
)


# --------------------------------------------------------------------------- certificates


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Uji lkj"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _usage(signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict:
    """A test CA and PKCS#12 files: valid, expired, not yet valid; the CA as asn1crypto."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = _key()
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("CA Uji lkj"))
        .issuer_name(_name("CA Uji lkj"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - 30 * DAY)
        .not_valid_after(NOW + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    files = {}
    for kind, start, end in (
        ("valid", NOW - DAY, NOW + 365 * DAY),
        ("expired", NOW - 400 * DAY, NOW - 35 * DAY),
        ("future", NOW + 10 * DAY, NOW + 400 * DAY),
    ):
        key = _key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name("YUSMAWANDI, S.Pd"))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(_usage(signing=True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .sign(ca_key, hashes.SHA256())
        )
        data = pkcs12.serialize_key_and_certificates(
            b"penanda tangan", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD)
        )
        files[kind] = folder / f"{kind}.p12"
        files[kind].write_bytes(data)
    files["ca"] = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
    files["not_p12"] = folder / "bukan.p12"
    files["not_p12"].write_bytes(b"ini bukan sertifikat")
    return files


def _validate(data: bytes, ca) -> object:
    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[ca], allow_fetching=False)
    return signature, validate_pdf_signature(signature, context)


# --------------------------------------------------------------------------- PDFs


TITLE = "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2022"


def _document(synthetic: bool = False) -> Document:
    cover = Cover(
        (TITLE,),
        "Urusan Uji",
        ("Badan Kesatuan Bangsa dan Politik", "Kabupaten Belitung Timur"),
        None,
        synthetic,
    )
    ttd = Signature(
        SIGNER.place_date,
        SIGNER.jabatan,
        SIGNER.name,
        SIGNER.pangkat,
        SIGNER.nip,
        anchor=SIGNATURE_ANCHOR,
    )
    blocks = [cover, Heading(1, "KATA PENGANTAR", page_break=True), Paragraph("Laporan uji."), ttd]
    return Document("LKjIP 2022", [Part("laporan", blocks)])


def _pdf(field: bool = True, synthetic: bool = False) -> bytes:
    return to_pdf.render_pdf(_document(synthetic), load_config().dokumen, signature_field=field)


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    return _pdf()


def _sig_widgets(data: bytes) -> list:
    reader = PdfReader(io.BytesIO(data))
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                found.append((index, annot))
    return found


def _xmp_producer(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    xml = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    return re.search(r'pdf:Producer(?:="|>)([^"<]*)', xml).group(1)


# --------------------------------------------------------------------------- credentials


def test_valid_certificate_loads(pki):
    credentials = load_credentials(pki["valid"], PASSWORD)
    assert credentials.name == "YUSMAWANDI, S.Pd"
    assert [c.subject.rfc4514_string() for c in credentials.chain] == [
        "CN=CA Uji lkj,O=Uji lkj,C=ID"
    ]


@pytest.mark.parametrize(
    ("kind", "password", "message"),
    [
        ("valid", b"salah", r"kata sandi salah, atau berkas bukan sertifikat PKCS#12"),
        ("not_p12", PASSWORD, r"kata sandi salah, atau berkas bukan sertifikat PKCS#12"),
        ("expired", PASSWORD, r"sertifikat sudah kedaluwarsa \(berlaku sampai \d\d-\d\d-\d{4}"),
        ("future", PASSWORD, r"sertifikat belum berlaku \(berlaku mulai \d\d-\d\d-\d{4}"),
    ],
)
def test_certificate_refusals(pki, kind, password, message):
    with pytest.raises(SigningError, match=message):
        load_credentials(pki[kind], password)


def test_missing_certificate_file(tmp_path):
    with pytest.raises(SigningError, match="tidak dapat dibaca"):
        load_credentials(tmp_path / "tidak_ada.p12", PASSWORD)


def test_password_from_environment_or_prompt():
    assert read_password({ENV_PASSWORD: "dari-env"}, prompt=lambda _: "x") == b"dari-env"
    assert read_password({}, prompt=lambda _: "ditanya") == b"ditanya"

    def no_terminal(_):
        raise EOFError

    with pytest.raises(SigningError, match=ENV_PASSWORD):
        read_password({}, prompt=no_terminal)


# --------------------------------------------------------------------------- signing


def test_sign_into_the_reports_field_validates_and_stays_pdfa(pki, small_pdf):
    ((page, field),) = _sig_widgets(small_pdf)
    rect = [float(v) for v in field["/Rect"]]
    place = find_place(small_pdf, SIGNER.name, SIGNATURE_BOX_MM)
    assert place == Place(field=SIGNATURE_FIELD)

    signed = sign_pdf(small_pdf, load_credentials(pki["valid"], PASSWORD), place, "Manggar")
    signature, status = _validate(signed, pki["ca"])
    assert signature.field_name == SIGNATURE_FIELD
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (
        True,
        True,
        True,
        True,
    )
    assert status.coverage.name == "ENTIRE_FILE"
    assert signed.startswith(small_pdf)  # an incremental update: the report is unchanged

    # the visible signature fills the field the report left at the signature block
    ((signed_page, widget),) = _sig_widgets(signed)
    assert signed_page == page == 1
    assert [float(v) for v in widget["/Rect"]] == pytest.approx(rect)
    assert widget["/F"] == 4  # printed (PDF/A)
    appearance = widget["/AP"]["/N"].get_object()
    fonts = []

    def collect(resources):
        for font in (resources.get("/Font") or {}).values():
            fonts.append(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            collect(xobject.get_object().get("/Resources") or {})

    collect(appearance["/Resources"])
    assert fonts and all("LiberationSans" in str(f["/BaseFont"]) for f in fonts)
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
        assert "/ToUnicode" in font
        # widths in 1/1000 em: Liberation Sans "a" is 556 (1139 of 2048 font units)
        widths = descendant["/W"]
        assert max(max(w) for w in widths[1::2]) < 1100

    # PDF/A identification kept; Info and XMP metadata agree
    assert pdfa_identification(small_pdf) == pdfa_identification(signed) == "3U"
    info = PdfReader(io.BytesIO(signed)).metadata
    assert info["/Producer"] == _xmp_producer(signed)
    assert info["/Title"] == TITLE
    catalog = PdfReader(io.BytesIO(signed)).trailer["/Root"]
    assert catalog.get("/Version", "/1.7") == "/1.7"  # RSA: no PDF 2.0 extension


def test_foreign_pdf_is_signed_above_the_signers_name(pki, small_pdf):
    """A PDF without the field (e.g. exported from Word): the box goes just above the name,
    where the report's own field is for the same page."""
    foreign = _pdf(field=False)
    assert _sig_widgets(foreign) == []
    place = find_place(foreign, SIGNER.name, SIGNATURE_BOX_MM)
    assert place.page == 1 and place.box is not None
    ((_, field),) = _sig_widgets(small_pdf)
    fx1, fy1, fx2, fy2 = (float(v) for v in field["/Rect"])
    x1, y1, x2, y2 = place.box
    assert x2 - x1 == pytest.approx(SIGNATURE_BOX_MM[0] * PT_PER_MM)
    assert y2 - y1 == pytest.approx(SIGNATURE_BOX_MM[1] * PT_PER_MM)
    assert abs((x1 + x2) / 2 - (fx1 + fx2) / 2) < 15  # centred over the name
    assert fy1 - 4 < y1 < fy1 + 12  # sits on the name line, like the report's space

    signed = sign_pdf(foreign, load_credentials(pki["valid"], PASSWORD), place)
    _, status = _validate(signed, pki["ca"])
    assert status.bottom_line
    ((page, widget),) = _sig_widgets(signed)
    assert page == 1
    assert [float(v) for v in widget["/Rect"]] == pytest.approx(list(place.box), abs=0.01)


def test_without_field_or_name_the_signature_is_invisible_but_valid(pki):
    foreign = _pdf(field=False)
    place = find_place(foreign, "NAMA YANG TIDAK ADA", SIGNATURE_BOX_MM)
    assert place == Place() and not place.visible
    signed = sign_pdf(foreign, load_credentials(pki["valid"], PASSWORD), place)
    _, status = _validate(signed, pki["ca"])
    assert status.bottom_line
    ((_, widget),) = _sig_widgets(signed)
    assert [float(v) for v in widget["/Rect"]] == [0, 0, 0, 0]


def test_archive_never_overwrites(tmp_path):
    first = archive_signed(b"%PDF-1 satu", 2022, tmp_path, NOW)
    second = archive_signed(b"%PDF-1 dua", 2022, tmp_path, NOW)
    stamp = NOW.astimezone().strftime("%Y%m%d-%H%M%S")
    assert first.name == f"LKj_2022_ditandatangani_{stamp}.pdf"
    assert second.name == f"LKj_2022_ditandatangani_{stamp}-2.pdf"
    assert first.read_bytes() == b"%PDF-1 satu" and second.read_bytes() == b"%PDF-1 dua"
    assert not first.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


# --------------------------------------------------------------------------- the command


def _sign(raw_root: Path, p12: Path, pdf: Path, archive: Path, password: bytes = PASSWORD):
    return run_lkj(
        "tandatangan",
        "--year",
        "2022",
        "--p12",
        str(p12),
        "--pdf",
        str(pdf),
        "--raw",
        str(raw_root),
        "--arsip",
        str(archive),
        env={ENV_PASSWORD: password.decode()},
    )


def test_command_signs_into_the_archive_one_file_per_signing(pki, raw_root, small_pdf, tmp_path):
    pdf = tmp_path / "dari_word.pdf"
    pdf.write_bytes(small_pdf)
    archive = tmp_path / "arsip"
    result = _sign(raw_root, pki["valid"], pdf, archive)
    assert result.returncode == 0, result.stderr
    (first,) = sorted((archive / "2022").glob("*.pdf"))
    # beside it, the record of the data and settings signed (lkj.tandatangan.rekam)
    assert (archive / "2022" / f"{first.stem}.json").is_file()
    assert re.fullmatch(r"LKj_2022_ditandatangani_\d{8}-\d{6}\.pdf", first.name)
    assert f"Arsip: {first}" in result.stdout and "PDF/A-3U" in result.stdout
    assert "kolom TandaTanganKepala" in result.stdout
    _, status = _validate(first.read_bytes(), pki["ca"])
    assert status.bottom_line
    assert pdf.read_bytes() == small_pdf  # the input is not changed
    before = first.read_bytes()

    again = _sign(raw_root, pki["valid"], pdf, archive)
    assert again.returncode == 0, again.stderr
    files = sorted((archive / "2022").glob("*.pdf"))
    assert len(files) == 2 and first in files
    assert first.read_bytes() == before


@pytest.mark.parametrize(
    ("kind", "password", "message"),
    [
        ("valid", b"keliru", "kata sandi salah"),
        ("expired", PASSWORD, "sertifikat sudah kedaluwarsa"),
        ("future", PASSWORD, "sertifikat belum berlaku"),
    ],
)
def test_command_refusals_are_clear(pki, raw_root, small_pdf, tmp_path, kind, password, message):
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(small_pdf)
    result = _sign(raw_root, pki[kind], pdf, tmp_path / "arsip", password)
    assert result.returncode == 1
    assert result.stderr.startswith("lkj: kesalahan: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "arsip").exists()


def test_synthetic_data_flag_refuses(pki, raw_root, small_pdf, tmp_path):
    instansi = raw_root / "2022" / "instansi.csv"
    instansi.write_text(
        instansi.read_text(encoding="utf-8") + "data_sintetis,ya\n", encoding="utf-8"
    )
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(small_pdf)
    result = _sign(raw_root, pki["valid"], pdf, tmp_path / "arsip")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "DATA SINTETIS dan tidak boleh ditandatangani" in result.stderr
    assert "data_sintetis = ya" in result.stderr
    assert not (tmp_path / "arsip").exists()


def test_synthetic_pdf_refuses_even_with_real_instansi(pki, raw_root, tmp_path):
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(_pdf(synthetic=True))
    result = _sign(raw_root, pki["valid"], pdf, tmp_path / "arsip")
    assert result.returncode == 1
    assert "kata kunci PDF memuat 'DATA SINTETIS'" in result.stderr
    assert "halaman pertama PDF memuat 'DATA SINTETIS'" in result.stderr


def test_report_not_built_is_refused(pki, raw_root, tmp_path):
    result = run_lkj(
        "tandatangan",
        "--year",
        "2022",
        "--p12",
        str(pki["valid"]),
        "--raw",
        str(raw_root),
        "--output",
        str(tmp_path / "out"),
        "--arsip",
        str(tmp_path / "arsip"),
        env={ENV_PASSWORD: PASSWORD.decode()},
    )
    assert result.returncode == 1
    assert "laporan belum dibuat; jalankan dulu: make report YEAR=2022" in result.stderr


def test_make_clean_keeps_the_archive(tmp_path):
    signed = tmp_path / "arsip" / "2022" / "LKj_2022_ditandatangani_20230131-090000.pdf"
    signed.parent.mkdir(parents=True)
    signed.write_bytes(b"%PDF-1.7 ditandatangani")
    for folder in ("outputs/2022", "outputs/forms/2022", "data/processed/2022"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "x.txt").write_text("x")
    result = subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "clean"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "outputs" / "2022").exists()
    assert not (tmp_path / "data" / "processed").exists()
    assert (tmp_path / "outputs" / "forms" / "2022" / "x.txt").exists()
    assert signed.read_bytes() == b"%PDF-1.7 ditandatangani"
    assert "arsip/" in (ROOT / ".gitignore").read_text().splitlines()


# --------------------------------------------------------------------------- the real report


@pytest.mark.e2e
def test_sign_the_real_report_and_rebuild_leaves_the_archive(pki, built_2022):
    base = built_2022
    args = report_args(base)[3:]  # --raw ... --output ... --processed ...
    archive = base / "arsip"
    result = run_lkj(
        "tandatangan",
        "--year",
        "2022",
        "--p12",
        str(pki["valid"]),
        "--arsip",
        str(archive),
        *args,
        env={ENV_PASSWORD: PASSWORD.decode()},
    )
    assert result.returncode == 0, result.stderr
    (signed,) = (archive / "2022").glob("*.pdf")
    data = signed.read_bytes()
    report = (base / "out" / "2022" / "LKj_2022.pdf").read_bytes()
    assert data.startswith(report)
    signature, status = _validate(data, pki["ca"])
    assert signature.field_name == SIGNATURE_FIELD and status.bottom_line
    assert pdfa_identification(data) == "3U"
    reader = PdfReader(io.BytesIO(data))
    assert list(reader.attachments) == ["LKj_2022_data_mentah.xlsx"]
    kata_pengantar = next(
        i for i, p in enumerate(reader.pages[:4]) if "KATA PENGANTAR" in p.extract_text()
    )
    assert [page for page, _ in _sig_widgets(data)] == [kata_pengantar]

    before = (data, signed.stat().st_mtime_ns)
    rebuilt = run_lkj(*report_args(base), "--force")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (signed.read_bytes(), signed.stat().st_mtime_ns) == before
    assert sorted(os.listdir(archive / "2022")) == sorted([signed.name, f"{signed.stem}.json"])
