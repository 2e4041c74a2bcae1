"""The pemda layer: every OPD's report on Dask (batch), the LKjIP built from them (lkjip), and
the synthetic demo pemda (contoh).

Imports lkj.run and below; never lkj.tandatangan."""
