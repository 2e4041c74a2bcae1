"""Narrative templates: computed values by name, text shown as text, clear errors."""

import pytest

from lkj.core.errors import DataError
from lkj.document.narasi import render_text, terbilang


def test_terbilang_in_indonesian():
    # 4.920.098.606 read aloud: empat miliar / sembilan ratus dua puluh juta /
    # sembilan puluh delapan ribu / enam ratus enam
    assert terbilang(4920098606) == (
        "empat miliar sembilan ratus dua puluh juta sembilan puluh delapan ribu enam ratus enam "
        "rupiah"
    )
    assert (
        terbilang(907965000)
        == "sembilan ratus tujuh juta sembilan ratus enam puluh lima ribu rupiah"
    )


def test_values_by_name_and_nested():
    html = render_text(
        "Anggaran {{ total.anggaran }} ({{ total.anggaran.terbilang }}) "
        "dan {{ kegiatan['01.02'].serapan }}.",
        {
            "total": {"anggaran": _value("Rp 5", terbilang="lima rupiah")},
            "kegiatan": {"01.02": {"serapan": "82,02%"}},
        },
        "narasi/x.md",
    )
    assert str(html) == "<p>Anggaran Rp 5 (lima rupiah) dan 82,02%.</p>"


def _value(text, **variants):
    from lkj.document.narasi import _Value

    return _Value(text, **variants)


def test_markup_in_text_is_escaped():
    html = str(
        render_text('<script>alert(1)</script> <b onclick="x">{{ a }}</b>', {"a": "<i>"}, "f.md")
    )
    assert "<script>" not in html and "<b " not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;" in html


def test_lists_headings_and_comments():
    html = str(
        render_text(
            "### Judul\n\n- satu\n- dua\n\n1. a\n2. b\n\n<!-- catatan -->\nTeks", {}, "f.md"
        )
    )
    assert '<h4 class="no-toc">Judul</h4>' in html
    assert "<ul><li>satu</li><li>dua</li></ul>" in html
    assert '<ol type="1"><li value="1">a</li><li value="2">b</li></ol>' in html
    assert "catatan" not in html and "<p>Teks</p>" in html


def test_unknown_name_names_the_file():
    with pytest.raises(DataError, match=r"narasi/penutup.md: nama nilai tidak dikenal.*'sasaran'"):
        render_text("{{ sasaran.S9.anggaran }}", {}, "narasi/penutup.md")
    with pytest.raises(DataError, match="templat tidak sah"):
        render_text("{{ a ", {"a": 1}, "narasi/penutup.md")


def test_sandbox_refuses_python_internals():
    with pytest.raises(DataError):
        render_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", {}, "f.md")
