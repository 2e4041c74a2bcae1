"""The PAdES signature of a PDF (``sign_pdf``), with pyHanko: ETSI.CAdES.detached, SHA-256,
level B-B (no time-stamp authority is reached offline), as an incremental update, with a
visible appearance drawn with the shipped Liberation Sans (embedded, so a PDF/A input stays
PDF/A). Also what is read from a PDF before and after signing: its keywords and its PDF/A
identification.
"""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path
from typing import Any

from lkj.core.resources import FONTS_DIR
from lkj.tandatangan.placement import Place
from lkj.tandatangan.sertifikat import Credentials

FIELD_NAME = "TandaTanganKepala"
"""Name of the signature field (the same as :data:`lkj.render.notebook_export.SIGNATURE_FIELD`)."""

SIGNATURE_FONT = FONTS_DIR / "LiberationSans-Regular.ttf"
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s"
STAMP_FONT_SIZE = 8


def pdf_keywords(reader: Any) -> str:
    """The keywords of a PDF (Info /Keywords and the XMP packet), joined; "" when none.

    Args:
        reader: a ``pypdf.PdfReader``.
    """
    found = []
    try:
        info = reader.metadata
        if info is not None and info.get("/Keywords"):
            found.append(str(info["/Keywords"]))
        meta = reader.trailer["/Root"].get("/Metadata")
        if meta is not None:
            found.append(meta.get_object().get_data().decode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 - damaged metadata carries no keyword
        pass
    return " ".join(found)


def pdfa_identification(pdf: bytes) -> str:
    """The PDF/A part and conformance of the XMP metadata, e.g. "3U"; "" when absent."""
    import re

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    meta = reader.trailer["/Root"].get("/Metadata")
    if meta is None:
        return ""
    xml = meta.get_object().get_data().decode("utf-8", "replace")
    part = re.search(r"pdfaid:part(?:=\"|>)\s*(\d)", xml)
    level = re.search(r"pdfaid:conformance(?:=\"|>)\s*([A-Za-z])", xml)
    return (part.group(1) if part else "") + (level.group(1).upper() if level else "")


def _declares_pdf2(pdf: bytes) -> bool:
    from pypdf import PdfReader

    return PdfReader(BytesIO(pdf)).trailer["/Root"].get("/Version") == "/2.0"


class _ShippedFont:
    """pyHanko font engine factory for the shipped Liberation Sans.

    pyHanko writes glyph widths in font units, which is right only for fonts of 1000 units per
    em; Liberation has 2048. So the font is subset to Latin and rescaled to 1000 units in
    memory (fontTools) before pyHanko embeds it. The font file itself is not changed.
    """

    def __init__(self, path: Path, size: float) -> None:
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        font = TTFont(path)
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=range(0x20, 0x250))
        subsetter.subset(font)
        scale_upem(font, 1000)
        buffer = BytesIO()
        font.save(buffer)
        self.data = buffer.getvalue()
        self.size = size

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
        """A glyph accumulator over the rescaled font (pyHanko's FontEngineFactory API)."""
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=BytesIO(self.data),
            font_size=self.size,
            bcp47_lang_code="id-ID",
            obj_stream=obj_stream,
        )


def sign_pdf(
    pdf: bytes,
    credentials: Credentials,
    place: Place,
    location: str = "",
    reason: str = "",
) -> bytes:
    """Sign a PDF (PAdES B-B, SHA-256) as an incremental update.

    The appearance (text: signer, time) uses the shipped Liberation Sans, embedded. The
    document's /Producer is set to pyHanko's in both the Info dictionary and the XMP metadata,
    which pyHanko rewrites, so the two stay equal as PDF/A requires.

    Args:
        pdf: the PDF.
        credentials: from :func:`load_credentials`.
        place: from :func:`find_place`.
        location: where it is signed (the place of the signature block).
        reason: why, e.g. "Laporan Kinerja 2022".

    Returns:
        The signed PDF.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import fields, signers

    signer = _simple_signer(credentials)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info_ref, generic.IndirectObject) and "/Metadata" in writer.root:
        info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)
    field_name = place.field or FIELD_NAME
    new_field = None
    if not place.field:
        new_field = fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=place.page,
            box=place.box,  # None: invisible
        )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        location=location or None,
        reason=reason or None,
        name=credentials.name,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer, stamp_style=_stamp_style(), new_field_spec=new_field
    )
    out = pdf_signer.sign_pdf(writer, output=BytesIO())
    return out.getvalue()


def _simple_signer(credentials: Credentials) -> Any:
    """pyHanko's signer of the credentials' key and certificates (asn1crypto objects)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def asn1(cert: Any) -> Any:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    key = asn1_keys.PrivateKeyInfo.load(
        credentials.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return signers.SimpleSigner(
        signing_cert=asn1(credentials.cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([asn1(c) for c in credentials.chain]),
    )


def _stamp_style() -> Any:
    """The visible signature's appearance: signer and time in the shipped Liberation Sans."""
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(
            font=_ShippedFont(SIGNATURE_FONT, STAMP_FONT_SIZE), font_size=STAMP_FONT_SIZE
        ),
        border_width=1,
        timestamp_format="%d-%m-%Y %H:%M:%S %Z",
    )
