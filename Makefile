# lkj: `make report YEAR=2022` builds the Laporan Kinerja; `make test` runs every test.
# The first run creates .venv from pyproject.toml + constraints.txt (pinned versions).

YEAR ?= 2022
PYTHON ?= python3

ifeq ($(OS),Windows_NT)
VENV_PY := .venv/Scripts/python.exe
else
VENV_PY := .venv/bin/python
endif
STAMP := .venv/.installed
# A make variable as one shell word: single-quoted, a ' inside escaped ('\''), so that a value
# with spaces, quotes, $ or ; stays one argument and runs nothing: $(call q,$(DIR))
q = '$(subst ','\'',$(1))'
# lkj's bytecode, written even where the environment forbids Python to (PYTHONDONTWRITEBYTECODE):
# otherwise each of a run's processes compiles the modules it imports again (~0.4 s of CPU)
BYTECODE := $(VENV_PY) -m compileall -q lkj > /dev/null

.DEFAULT_GOAL := help
.PHONY: penilaian paket verifikasi triwulan
.PHONY: help setup report preview tandatangan check workbook new-year forms collect test test-all lint \
	format \
	bench clean contoh-pemda pemda bench-pemda layout layout-besar layout-pemda

help: ## list the targets
	@echo "lkj - Laporan Kinerja dari data mentah"
	@echo
	@echo "  make report YEAR=2022   build outputs/YEAR/LKj_YEAR.html and .pdf (sets up .venv on first use)"
	@echo "                          (PAPER=F4 prints on folio; default: [dokumen] of config/lkj.toml)"
	@echo "  make preview YEAR=2022  HTML report only (no PDF/DOCX/notebooks), marked PRATINJAU, in"
	@echo "                          outputs/YEAR-pratinjau/; reruns ingest/capaian only if data changed"
	@echo "  make triwulan YEAR=2023 TW=2"
	@echo "                          the quarter's Renja evaluation (E.81, capaian s.d. TW, peringatan"
	@echo "                          dini) as HTML, PDF, DOCX in outputs/YEAR-twTW/ (never outputs/YEAR)"
	@echo "  make test               lint + the whole test suite (includes an end-to-end run)"
	@echo "  make tandatangan YEAR=2022 P12=sertifikat.p12"
	@echo "                          sign the report (PAdES) into arsip/YEAR/ (docs/tandatangan.md);"
	@echo "                          password: LKJ_P12_PASSWORD or asked; PDF=file signs another PDF"
	@echo "  make penilaian YEAR=2022 self-assessment of the built report (LKE component 3), beside"
	@echo "                          it: outputs/YEAR/LKj_YEAR_penilaian_mandiri.html/.pdf; facts"
	@echo "                          outside the report in arsip/YEAR/penilaian.toml (docs/penilaian.md)"
	@echo "  make paket YEAR=2022    the signed report, DOCX, data, self-assessment, PK and IKU into"
	@echo "                          arsip/YEAR/paket/ with SHA256SUMS and manifest.json"
	@echo "  make paket PEMDA=kode YEAR=2022  the signed LKjIP, its data and self-assessment into"
	@echo "                          arsip/pemda/kode/YEAR/paket/ (SHA256SUMS, manifest.json)"
	@echo "  make verifikasi PDF=file [ROOTS=ca.pem] check a signed report: signature, and every"
	@echo "                          figure rebuilt from the data it carries (an OPD's LKj or the"
	@echo "                          LKjIP: the pemda's and OPDs' processed tables it carries)"
	@echo "  make check YEAR=2022    validate data/raw/YEAR against data/raw/README.md"
	@echo "  make workbook YEAR=2022 write data/raw/YEAR as one .xlsx workbook (outputs/)"
	@echo
	@echo "  A new year (docs/maintainer-guide.md):"
	@echo "  make new-year YEAR=2023 create data/raw/2023 from the latest year, realisasi empty"
	@echo "  make forms YEAR=2023    one .xlsx data form per unit kerja in outputs/forms/2023/"
	@echo "                          (BATAS=\"31 Januari 2024\" prints the deadline on the forms)"
	@echo "  make forms YEAR=2023 TW=2 / make collect YEAR=2023 TW=2"
	@echo "                          the same for one triwulan: outputs/forms/2023-tw2/, its rows only;"
	@echo "                          the forms print the quarter's deadline and list the empty cells,"
	@echo "                          collect names the cells still empty"
	@echo "  make collect YEAR=2023  read the filled forms into data/raw/2023 (DIR=folder to read"
	@echo "                          forms from elsewhere); lists missing forms and wrong cells"
	@echo
	@echo "  A whole pemda (every OPD's LKj + the LKjIP, data/raw/README.md section 10):"
	@echo "  make contoh-pemda       write a synthetic demo pemda (DATA SINTETIS) to data/pemda/contoh"
	@echo "                          (JUMLAH=40 OPDs, SEED=1)"
	@echo "  make pemda YEAR=2022    build every OPD's LKj and the LKjIP on a Dask cluster: a local"
	@echo "                          one by default (WORKERS=n), or SCHEDULER=tcp://host:8786"
	@echo "                          (PEMDA=kode when data/pemda holds several); every OPD's"
	@echo "                          outcome and error in outputs/pemda/kode/YEAR/batch.log"
	@echo "  make new-year PEMDA=kode YEAR=2023   every OPD's year folder + the pemda's IKU rows"
	@echo "  make forms PEMDA=kode YEAR=2023      forms per OPD + IKU form in outputs/forms/pemda/"
	@echo "  make collect PEMDA=kode YEAR=2023    read them back; missing forms, wrong cells by OPD"
	@echo "  make check PEMDA=kode YEAR=2023      every OPD and the pemda tables, one summary"
	@echo "  make tandatangan PEMDA=kode OPD=o YEAR=2022 P12=...  sign one OPD's report"
	@echo "  make tandatangan PEMDA=kode YEAR=2022 P12=...        sign the LKjIP (up to date,"
	@echo "                          not synthetic) into arsip/pemda/kode/YEAR/"
	@echo "                          (each refreshes outputs/pemda/kode/YEAR/index.html, the"
	@echo "                          dashboard, and its table ringkasan_opd_YEAR.xlsx)"
	@echo "  make pemda YEAR=2022 TW=2  every OPD's quarterly evaluation (E.81) and the RKPD roll-up"
	@echo "                          (OPDs with early warnings first) in outputs/pemda/<kode>/YEAR-twTW,"
	@echo "                          on Dask like the year (WORKERS=n, SCHEDULER=...; unchanged OPDs"
	@echo "                          reused); the year's dashboard shows each OPD's latest quarter"
	@echo
	@echo "  make bench              where the time goes: stages, full report, no-op, floor, size"
	@echo "                          sweep (BENCH=\"--only sweep --sizes 35,350\" runs a part)"
	@echo "  make bench-pemda        the pemda batch with 1 and 2 workers: wall time, CPU-s per OPD"
	@echo "                          beside one report alone, LKjIP time, memory, where one OPD's"
	@echo "                          seconds go (BENCH_OPD=40: the whole demo; default 4)"
	@echo "  make layout YEAR=2022   the printed page checked from the PDF's geometry, A4 and F4:"
	@echo "                          text on cell rules, cut labels, lonely headings (after report)"
	@echo "  make layout-besar       the same checks on the size sweep's synthetic dinas (SUB=1400"
	@echo "                          sub kegiatan, DATA SINTETIS, built in outputs/layout/)"
	@echo "  make layout-pemda YEAR=2022  the same checks on the LKjIP (after make pemda)"
	@echo "  make test-all           make test plus the slow tests (the 40-OPD demo, full rebuilds)"
	@echo "  make lint | format      ruff check / ruff format"
	@echo "  make setup              (re)create .venv (the notebooks run on its Python; no kernel"
	@echo "                          to register)"
	@echo "  make clean              remove outputs/ (except outputs/forms/) and data/processed/;"
	@echo "                          never arsip/ (signed reports)"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c "import sys; assert sys.version_info >= (3, 10), 'lkj needs Python 3.10 or newer'"
	test -x $(VENV_PY) || $(PYTHON) -m venv .venv
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $@

setup: $(STAMP) ## create the environment

report: $(STAMP) ## build the report of YEAR
	@$(BYTECODE)
	@$(VENV_PY) -m lkj report --year $(call q,$(YEAR)) $(if $(PAPER),--kertas $(call q,$(PAPER)))

preview: $(STAMP) ## the HTML report of YEAR only, as a preview beside outputs/YEAR
	@$(BYTECODE)
	@$(VENV_PY) -m lkj preview --year $(call q,$(YEAR)) $(if $(PAPER),--kertas $(call q,$(PAPER)))

triwulan: $(STAMP) ## the evaluation of quarter TW of YEAR (E.81) in outputs/YEAR-twTW
	@$(BYTECODE)
	@$(VENV_PY) -m lkj triwulan --year $(call q,$(YEAR)) $(if $(TW),--tw $(call q,$(TW))) $(if $(FORCE),--force)

tandatangan: $(STAMP) ## sign the report of YEAR with P12 (arsip/ is never cleaned)
	@$(VENV_PY) -m lkj tandatangan --year $(call q,$(YEAR)) --p12 $(call q,$(P12)) $(if $(PDF),--pdf $(call q,$(PDF))) \
		$(if $(PEMDA),--pemda $(call q,$(PEMDA))) $(if $(OPD),--opd $(call q,$(OPD)))

penilaian: $(STAMP) ## the self-assessment of the built report of YEAR
	@$(VENV_PY) -m lkj penilaian --year $(call q,$(YEAR))

paket: $(STAMP) ## the submission package of YEAR in arsip/YEAR/paket/
	@$(VENV_PY) -m lkj paket --year $(call q,$(YEAR)) $(if $(PEMDA),--pemda $(call q,$(PEMDA)))

verifikasi: $(STAMP) ## check a signed report PDF (signature, figures rebuilt from its data)
	@$(VENV_PY) -m lkj verifikasi --pdf $(call q,$(PDF)) $(foreach r,$(ROOTS),--akar $(call q,$(r)))

check: $(STAMP)
	@$(VENV_PY) -m lkj check --year $(call q,$(YEAR)) $(if $(PEMDA),--pemda $(call q,$(PEMDA)))

workbook: $(STAMP)
	@mkdir -p outputs
	@$(VENV_PY) -m lkj workbook --year $(call q,$(YEAR)) --out $(call q,outputs/lkj_$(YEAR)_mentah.xlsx)

new-year: $(STAMP)
	@$(VENV_PY) -m lkj new-year --year $(call q,$(YEAR)) $(if $(PEMDA),--pemda $(call q,$(PEMDA)))

forms: $(STAMP)
	@$(VENV_PY) -m lkj forms --year $(call q,$(YEAR)) $(if $(BATAS),--batas-waktu $(call q,$(BATAS))) \
		$(if $(TW),--tw $(call q,$(TW))) $(if $(PEMDA),--pemda $(call q,$(PEMDA)))

collect: $(STAMP)
	@$(VENV_PY) -m lkj collect --year $(call q,$(YEAR)) $(if $(DIR),--dir $(call q,$(DIR))) \
		$(if $(TW),--tw $(call q,$(TW))) $(if $(PEMDA),--pemda $(call q,$(PEMDA)))

JUMLAH ?= 40
SEED ?= 1

contoh-pemda: $(STAMP)
	@$(VENV_PY) -m lkj contoh-pemda --jumlah $(call q,$(JUMLAH)) --seed $(call q,$(SEED)) $(if $(FORCE),--force)

pemda: $(STAMP)
	@$(VENV_PY) -m lkj pemda --year $(call q,$(YEAR)) $(if $(PEMDA),--pemda $(call q,$(PEMDA))) \
		$(if $(SCHEDULER),--scheduler $(call q,$(SCHEDULER))) $(if $(WORKERS),--workers $(call q,$(WORKERS))) \
		$(if $(FORCE),--force) $(if $(TW),--tw $(call q,$(TW)))

bench-pemda: $(STAMP)
	@$(BYTECODE)
	@$(VENV_PY) scripts/bench_pemda.py --year $(call q,$(YEAR)) $(if $(BENCH_OPD),--opd $(call q,$(BENCH_OPD)))

lint: $(STAMP) ## ruff, and the layers (import-linter: imports only point down, no circle)
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .
	$(VENV_PY) -c "from importlinter.cli import lint_imports_command as c; c()" --no-cache

format: $(STAMP)
	$(VENV_PY) -m ruff format .
	$(VENV_PY) -m ruff check --fix .

test: lint ## lint, then the tests (all but those marked slow: CI's 20 minutes)
	$(VENV_PY) -m pytest

test-all: lint ## lint, then every test, the slow ones too (Dask batch, full rebuilds)
	$(VENV_PY) -m pytest -m ""

layout: $(STAMP)
	@$(VENV_PY) scripts/layout_report.py --year $(YEAR)

layout-besar: $(STAMP)
	@$(VENV_PY) scripts/layout_report.py --besar $(call q,$(or $(SUB),1400))

layout-pemda: $(STAMP)
	@$(VENV_PY) scripts/layout_report.py --lkjip $(call q,$(YEAR))

bench: $(STAMP)
	@$(BYTECODE)
	@$(VENV_PY) scripts/bench.py --year $(call q,$(YEAR)) $(BENCH)

clean: ## keeps outputs/forms (filled forms may hold values not yet collected); never touches arsip/
	rm -rf data/processed
	if [ -d outputs ]; then find outputs -mindepth 1 -maxdepth 1 ! -name forms -exec rm -rf {} +; fi
