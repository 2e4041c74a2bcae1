"""The methods and scales in effect, in words: the aggregation method of capaian fisik
(``agregasi.metode_capaian_fisik``), the efficiency measure and the category scales, read from
the configuration the report was computed with.
"""

from __future__ import annotations

import html

from lkj.analysis.audit.numbers import _entered
from lkj.core.config import Config, Scale

METHOD_TEXT = {
    "tertimbang_anggaran": (
        "rata-rata tertimbang anggaran",
        "capaian agregat = Σ (capaian sub kegiatan × anggaran sub kegiatan) / Σ anggaran; "
        "bobot sub kegiatan = anggaran / Σ anggaran",
    ),
    "rata_rata": (
        "rata-rata sederhana",
        "capaian agregat = Σ capaian sub kegiatan / jumlah sub kegiatan; "
        "bobot setiap sub kegiatan = 1 / jumlah sub kegiatan",
    ),
}


def method_name(config: Config) -> str:
    """The aggregation method in effect (config/lkj.toml), in words."""
    return METHOD_TEXT[config.aggregation_method][0]


def _scale_lines(scale: Scale) -> list[str]:
    lines, previous = [], None
    for c in scale.categories:
        label = f"{c.code} {c.label}" if c.code else c.label
        if c.above is not None:
            rule = f"x > {_entered(c.above)}"
            if previous is not None:
                rule += f" dan x ≤ {_entered(previous)}"
        else:
            rule = f"x ≤ {_entered(previous)}" if previous is not None else "semua nilai"
        lines.append(f"{label}: {rule} (tertulis {c.interval})")
        previous = c.above
    return lines


def metode(config: Config) -> str:
    """HTML stating the methods and scales in effect, read from the configuration.

    Args:
        config: the configuration the report was computed with.

    Returns:
        An HTML fragment (every text escaped).
    """
    name, formula = METHOD_TEXT[config.aggregation_method]
    esc = html.escape
    items = [
        f"<p>Metode agregasi capaian fisik yang berlaku "
        f"(<code>agregasi.metode_capaian_fisik = "
        f"&quot;{esc(config.aggregation_method)}&quot;</code> di {esc(config.path.name)}): "
        f"<strong>{esc(name)}</strong>, yaitu {esc(formula)}. Sub kegiatan yang capaiannya "
        "tidak dapat dihitung (target 0) tidak ikut dirata-ratakan.</p>",
        f"<p>Efisiensi: {esc(config.efficiency_name)}.</p>",
    ]
    for scale in (config.realisasi, config.predikat):
        lines = "".join(f"<li>{esc(line)}</li>" for line in _scale_lines(scale))
        items.append(
            f"<p>{esc(scale.name)} ({esc(scale.basis)}), x = persentase:</p><ul>{lines}</ul>"
        )
    return "".join(items)
