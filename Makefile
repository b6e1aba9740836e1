# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test deps sysdeps lint bench screenshots bundle clean

$(STAMP): pyproject.toml
	@./scripts/sysdeps.sh
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,postgres]"
	touch $(STAMP)

deps: $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py --demo-if-missing

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

bundle: $(STAMP)
	$(BIN)/pip install -q -e ".[build]"
	$(BIN)/python installer/build.py --smoke

clean:
	rm -rf build dist $(VENV)

.PHONY: manual
# The user manual as PDF (docs/huong-dan-su-dung.pdf) from docs/huong-dan-su-dung.md and the
# screenshots in docs/images (refresh them first with `make screenshots`).
manual: $(STAMP)
	$(BIN)/python scripts/build_manual.py
