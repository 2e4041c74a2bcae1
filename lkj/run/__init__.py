"""The run layer: the pipeline that executes the notebooks (stages, kernels, the journal that
replaces outputs as one unit, the preview), the print job (cetak) and the per-year lock (lock).

Imports lkj.render and below."""
