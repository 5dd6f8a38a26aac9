# One entry point for people and CI. Every target builds its own virtualenv from
# the requirements files, so a fresh clone needs only python3 and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The policy scanner lives apart: its pinned dependencies conflict with pulumi's.
CHECKOV_VENV ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

# `make render` renders the root program; `make render EXAMPLE=examples/etcd` renders an example.
EXAMPLE ?= .
# Empty: the `dev` stack, with Pulumi.dev.yaml if the program has one. A named stack must have
# its Pulumi.<stack>.yaml.
STACK ?=
OUT ?= build/manifests
# Extra `--config key=value` flags for render, e.g. CONFIG="--config replicas=5".
CONFIG ?=

# Extra flags for the benchmark, e.g. BENCH_ARGS="--sizes 10,100 --repeats 3".
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed
E2E_STAMP := $(VENV)/.e2e-installed
# The dependency floors (requirements-floor.txt) get a virtualenv of their own.
FLOOR_VENV ?= .venv-floor
FLOOR_STAMP := $(FLOOR_VENV)/.installed
# Extra pytest flags for the real-cluster suite, e.g. E2E_ARGS="-k dns -x".
E2E_ARGS ?=

.PHONY: venv render schema readme test test-floor lint typecheck unit bench e2e e2e-toolchain clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -e .
	touch $(STAMP)

$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

render: $(STAMP)
	$(PY) -m stateful_service_pair.render render $(EXAMPLE) $(if $(STACK),--stack $(STACK)) --out $(OUT) $(CONFIG)

# The multi-language plugin's schema, inferred by the SDK's analyzer; tests fail when it is stale.
schema: $(STAMP)
	$(PY) -m stateful_service_pair._plugin schema provider/schema.json

# The README's arguments table, rendered from the argument table in code; tests fail when stale.
readme: $(STAMP)
	$(PY) -c 'from pathlib import Path; from stateful_service_pair._arguments import rewrite_readme; rewrite_readme(Path("README.md"))'

# Benchmark tools are installed on top of the test virtualenv, so `make test` stays lean.
$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $(BENCH_STAMP)

# StatefulServicePair against the same objects written by hand; results: docs/BENCHMARKS.md.
bench: $(BENCH_STAMP)
	$(PY) -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict components/stateful_service_pair

unit: $(STAMP) $(CHECKOV_STAMP)
	CHECKOV=$(CHECKOV_VENV)/bin/checkov $(PY) -m pytest --ignore=tests/e2e

$(E2E_STAMP): $(STAMP) requirements-e2e.txt
	$(PY) -m pip install --quiet -r requirements-e2e.txt
	touch $(E2E_STAMP)

# Builds (or finds in the cache) every program of the real-cluster run; see tests/e2e/README.md.
e2e-toolchain:
	tests/e2e/toolchain/build.sh

# The real Pulumi CLI and Kubernetes provider against a local control plane with CoreDNS.
e2e: $(E2E_STAMP)
	$(PY) -m pytest -m e2e tests/e2e $(E2E_ARGS)

test: lint typecheck unit

$(FLOOR_STAMP): requirements-floor.txt pyproject.toml
	$(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR_VENV)/bin/python -m pip install --quiet -r requirements-floor.txt -e .
	touch $(FLOOR_STAMP)

# The unit suite on exactly the lowest pulumi, pulumi-kubernetes and PyYAML pyproject.toml
# declares (Python: whatever $(PYTHON) is; CI runs it with 3.11, the declared floor). The
# policy scan uses .venv-checkov when `make test` has built it (as in CI) and skips otherwise.
test-floor: $(FLOOR_STAMP)
	$(FLOOR_VENV)/bin/python -m pytest --ignore=tests/e2e -q -p no:cacheprovider

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(FLOOR_VENV) build .mypy_cache .ruff_cache .pytest_cache
