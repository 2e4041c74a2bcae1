"""The pemda layer: every OPD's report on Dask and the LKjIP built from them, and the
synthetic demo pemda.

* batch: ``run_pemda``, the run of a pemda's year (what ``python -m lkj pemda`` does);
* fingerprint: what decides whether an OPD's report (or the LKjIP) is up to date;
* opd_task: ``build_opd``, one OPD's report on a Dask worker (plain data in, plain data out);
* cluster: the Dask cluster (a running scheduler's, else a LocalCluster);
* local_worker: what a LocalCluster's worker does first (leave Ctrl-C to the command);
* install: putting an OPD's results in place (atomically), recovering an interrupted run;
* status: each OPD's outcome, status.json and the closing summary;
* runlog: batch.log in the outputs, Dask's own log lines kept out of the terminal;
* lkjip: the LKjIP document (its tables: ``lkj.analysis.konsolidasi``);
* dashboard, index_page: the index page as the pemda's dashboard, and its xlsx;
* year, iku_form: the pemda's year (new-year, forms, collect, check for every OPD) and the
  pemda's own IKU form;
* contoh: the synthetic demo pemda.

Imports lkj.run and below; never lkj.tandatangan."""
