"""The pemda layer: every OPD's report on Dask and the LKjIP built from them, and the
synthetic demo pemda.

* batch: ``run_pemda``, the run of a pemda's year (what ``python -m lkj pemda`` does);
* fingerprint: what decides whether an OPD's report (or the LKjIP) is up to date;
* opd_task: ``build_opd``, one OPD's report on a Dask worker (plain data in, plain data out);
* cluster: the Dask cluster (a running scheduler's, else a LocalCluster);
* install: putting an OPD's results in place (atomically), recovering an interrupted run;
* status: each OPD's outcome, status.json and the closing summary;
* lkjip: the LKjIP document and index page (its tables: ``lkj.analysis.konsolidasi``);
* contoh: the synthetic demo pemda.

Imports lkj.run and below; never lkj.tandatangan."""
