"""A synthetic demo pemda: ``python -m lkj contoh-pemda --jumlah 40 --seed 1``.

Writes data/pemda/contoh/: the pemda's own tables (``lkj.data.schema_pemda``) and ``jumlah`` OPDs
under the yearly contract of data/raw/YEAR. One OPD is Badan Kesatuan Bangsa dan Politik with
its real 2022 data copied unchanged from data/raw/2022 (not marked synthetic); every other OPD
is derived from that same data: the structure (programmes, kegiatan, sub kegiatan, sasaran,
indikator) renamed for the OPD's field, budgets scaled, sub kegiatan dropped or repeated,
realisations, staff and facilities perturbed, all deterministically from the seed. Every
synthetic OPD says ``data_sintetis = ya`` in its instansi.csv, and so does pemda.csv: reports
built from them say DATA SINTETIS on every page.

* write: ``write_contoh_pemda``, the workspace written and put in place;
* opd: the OPD list and ``synthetic_opd``, one synthetic OPD's raw tables;
* pemda: the pemda's own tables (pemda.csv, lambang, RPJMD sasaran, IKU Pemda, cascade);
* tabel: writing a table as the data contract wants it.
"""

from lkj.pemda.contoh.write import KODE_PEMDA, write_contoh_pemda

__all__ = ["KODE_PEMDA", "write_contoh_pemda"]
