# Lagebild: `make run` and `make test` are all a fresh machine needs (Python 3.11+ and make).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install browser screenshots lint eval bench clean help model test-deploy

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip "setuptools>=75" wheel
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned dependencies

run: install  ## set up, load the seeds if the warehouse is empty, run watcher + dashboard
	$(BIN)/lagebild up

browser:  ## install Debian's chromium + chromium-driver for the browser test (if missing)
	@bash scripts/install-browser.sh

# Whole test files spread over parallel workers (pytest-xdist), the long files first (tests/conftest.py).
# Most tests wait on `lagebild` child processes, so more workers than cores pay; TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 4

test: install browser  ## the whole test suite (TEST_WORKERS parallel workers, default 4)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test-deploy: install  ## docker compose up for real: build, boot, drop files, SIGKILL the watcher, tear down (~5 min with its images cached, ~27 min cold)
	$(BIN)/python -m deploy.e2e

SHOTS := test-artifacts/screenshots

screenshots: install browser  ## run the browser test and copy its screenshots into docs/screenshots/ (README)
	rm -rf $(SHOTS)
	BROWSER_ARTIFACTS=$(CURDIR)/$(SHOTS) $(BIN)/python -m pytest tests/browser
	cp $(SHOTS)/*.png docs/screenshots/

lint: install  ## ruff over all the code, mypy (typed definitions required) over the product packages
	$(BIN)/ruff check lagebild flows warehouse dashboard cli tests eval bench ner
	$(BIN)/mypy lagebild flows warehouse dashboard cli

eval: install  ## precision/recall/F1 of the enrichment on the seed gold file and the shared corpora
	$(BIN)/python -m eval

NER_TRAIN ?= ../shared/corpora/germeval2014/NER-de-train.tsv
NER_DEV   ?= ../shared/corpora/germeval2014/NER-de-dev.tsv

model: install  ## train the German NER model on GermEval 2014 (~13 min, one core) -> lagebild/models/de_lagebild_ner
	$(BIN)/python -m ner all --train $(NER_TRAIN) --dev $(NER_DEV)

bench: install  ## benchmarks: writes bench/results.json and BENCHMARKS.md (options: BENCH_ARGS="--only throughput --reuse bench/results.json", see python -m bench --help)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:  ## remove the venv and the local data folder
	rm -rf $(VENV) data test-artifacts
