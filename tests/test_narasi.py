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
    expected = r"narasi/penutup.md, baris 1: nama nilai tidak dikenal.*'sasaran'"
    with pytest.raises(DataError, match=expected):
        render_text("{{ sasaran.S9.anggaran }}", {}, "narasi/penutup.md")
    with pytest.raises(DataError, match="templat tidak sah"):
        render_text("{{ a ", {"a": 1}, "narasi/penutup.md")


def test_sandbox_refuses_python_internals():
    with pytest.raises(DataError):
        render_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", {}, "f.md")


# Each hostile template of the issue: (template, the line named, words of the message). Every
# one ends within its budget in one DataError naming the file and the line (no traceback, no
# hang: the loops are 10^10 rounds, the texts 10^8 characters and more).
HOSTILE = {
    "nested loops": (
        "Teks.\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        3,
        "batas narasi_operasi = 2000000",
    ),
    "repeat": ("{{ 'x' * 10**8 }}", 1, "batas narasi_keluaran_kb"),
    "doubling": (
        "{% set ns = namespace(s='x') %}\n{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        2,
        "batas narasi_keluaran_kb",
    ),
    "doubling +": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}\n"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
        2,
        "batas narasi_keluaran_kb",
    ),
    "include": ("Teks\n\n{% include 'lain.md' %}", 3, "include"),
    "huge range": ("{{ range(10**9)|list }}", 1, "terlalu besar"),
    "literal": ("a\n{{ 'x'|center(1000000000) }}", 2, "terlalu besar"),
    "format width": ("{{ '{:>99999999}'.format(1) }}", 1, "lebar format"),
    "percent width": ("{{ '%099999999d' % 1 }}", 1, "lebar format"),
    "power": ("{{ 9**9**9 }}", 1, "10^15"),
    "zero division": ("a\nb {{ 1/0 }}", 2, "ZeroDivisionError"),
    "internals": ("{{ ''.__class__ }}", 1, "tidak diizinkan"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_template_ends_in_one_message_with_its_line(case):
    text, line, words = HOSTILE[case]
    with pytest.raises(DataError) as info:
        render_text(text, {}, "narasi/penutup.md")
    err = info.value
    assert (err.file, err.row) == ("narasi/penutup.md", line)
    assert words in err.problem and "Traceback" not in str(err)


@pytest.mark.parametrize(
    "text",
    [
        "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}",
    ],
    ids=["deep nesting", "recursion"],
)
def test_deep_template_ends_in_one_message(text):
    with pytest.raises(DataError, match=r"^narasi/penutup.md: .*terlalu dalam"):
        render_text(text, {}, "narasi/penutup.md")


def test_limits_leave_ordinary_loops_alone():
    """A loop over the data (10 000 rounds, well inside the budget) renders: the limits are
    for runaway templates only. 10 000 items of "x," make 20 000 characters."""
    html = str(render_text("{% for i in range(10000) %}x,{% endfor %}", {}, "f.md"))
    assert html == "<p>" + "x," * 10000 + "</p>"
