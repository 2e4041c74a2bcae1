"""The run layer: the pipeline that executes the notebooks, the print job (cetak) and the
per-year lock (lock).

The pipeline, from the top:
    report     run_report: a year's report, unless up to date; the staged result put in place
    build      the stages of one run in its staging folder, the print job beside them
    stages     each stage's key: what changed is rebuilt, the rest reused
    notebooks  executing a notebook (papermill) and cleaning and rendering it (nbconvert)
    engine     the papermill engine on this interpreter's kernels
    kernels    the kernels: this interpreter, in lanes, warmed up ahead of need
    handover   what the print job waits for (the report notebook's hand-over, the figures)
    journal    replacing data/processed/YEAR and outputs/YEAR as one unit; recovering
    paths      a year's folders, the inputs' fingerprint, whether the report is up to date
    preview    the HTML report only, after an edit

Imports lkj.render and below."""
