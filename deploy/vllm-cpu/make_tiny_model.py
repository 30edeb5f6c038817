"""Generate a deterministic tiny Llama chat model that vLLM's CPU build can serve.

Run with the vLLM environment's python (it needs ``torch``, ``transformers`` and
``tokenizers``)::

    .venv-vllm/bin/python deploy/vllm-cpu/make_tiny_model.py OUT_DIR [--text-root DIR]

What it writes (``save_pretrained`` float32 safetensors plus a fast tokenizer):

* a byte-level BPE tokenizer (~4k tokens) trained with ``tokenizers`` on local English
  and Python text (this repository's policies, prompts and code by default), with a
  ChatML chat template whose end-of-turn token ``<|im_end|>`` is the eos;
* a 2-layer Llama (hidden 128, 4 heads of 32: vLLM's CPU attention needs head size >= 32)
  with fixed random weights (seed 0).

A purely random model never closes a JSON object under guided decoding (the grammar
only forbids invalid tokens; it fills strings with whitespace until ``max_tokens``).
So every token embedding carries 1.0 in one hidden channel and the untied ``lm_head``
reads that channel as a per-token bias: eos and the JSON closers are favoured, tokens
made of whitespace or control characters are disfavoured. The object then closes and
eos follows (``finish_reason: stop``). The answers are nonsense, but schema-valid.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

SEED = 0
VOCAB_SIZE = 4096
HIDDEN = 128
LAYERS = 2
HEADS = 4
MAX_POSITIONS = 4096
BIAS_CHANNEL = HIDDEN - 1
PAD, BOS, EOS = "<|endoftext|>", "<|im_start|>", "<|im_end|>"  # EOS is ChatML's end of turn
SPECIAL = [PAD, BOS, EOS]
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
# Per-character preference, read as a bias through the lm_head channel (see module docstring).
# The quote ranks first: inside a string `}` and `]` are ordinary characters, and a model that
# prefers them there writes `}}}}...` until max_tokens instead of closing the string.
CLOSERS = {'"': 2.8, "}": 2.5, "]": 2.2, ",": 0.5}
EOS_BIAS = 3.0
BAD_BIAS = -3.0
TEXT_SUFFIXES = (".md", ".py", ".txt", ".j2", ".yaml")


def training_text(root: Path, limit_bytes: int = 4_000_000) -> Iterator[str]:
    """Local text files under ``root`` in a fixed order (bounded), for the tokenizer trainer."""
    total = 0
    for path in sorted(p for p in root.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()):
        if any(part.startswith(".") or part in {"var", "node_modules", "__pycache__"} for part in path.parts):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        total += len(text)
        yield text
        if total >= limit_bytes:
            return


def build_tokenizer(root: Path) -> object:
    """Train the byte-level BPE and wrap it as a ``PreTrainedTokenizerFast``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(training_text(root), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=BOS,
        eos_token=EOS,
        pad_token=PAD,
        unk_token=PAD,
    )
    fast.chat_template = CHAT_TEMPLATE
    fast.model_max_length = MAX_POSITIONS
    return fast


def token_bias(text: str) -> float:
    """The preference of one decoded token: closers favoured, blank or control text disfavoured."""
    if not text or text.isspace() or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return BAD_BIAS
    if all(ch in CLOSERS for ch in text):
        return max(CLOSERS[ch] for ch in text)
    return 0.0


def build_model(tokenizer: object) -> object:
    """The tiny Llama with fixed weights and the bias channel."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    vocab = len(tokenizer)  # type: ignore[arg-type]
    eos_id = tokenizer.convert_tokens_to_ids(EOS)  # type: ignore[attr-defined]
    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=HIDDEN,
        intermediate_size=HIDDEN * 2,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        num_key_value_heads=HEADS,
        max_position_embeddings=MAX_POSITIONS,
        tie_word_embeddings=False,
        bos_token_id=tokenizer.convert_tokens_to_ids(BOS),  # type: ignore[attr-defined]
        eos_token_id=eos_id,
        pad_token_id=tokenizer.convert_tokens_to_ids(PAD),  # type: ignore[attr-defined]
        torch_dtype="float32",
    )
    torch.manual_seed(SEED)
    model = LlamaForCausalLM(config).to(torch.float32).eval()
    bias = torch.tensor(
        [token_bias(tokenizer.decode([i])) for i in range(vocab)],  # type: ignore[attr-defined]
        dtype=torch.float32,
    )
    bias[eos_id] = EOS_BIAS
    with torch.no_grad():
        model.model.embed_tokens.weight[:, BIAS_CHANNEL] = 1.0
        model.lm_head.weight[:, BIAS_CHANNEL] = bias
    model.generation_config.eos_token_id = eos_id
    model.generation_config.do_sample = False
    return model


def make(out: Path, text_root: Path) -> dict[str, object]:
    """Write tokenizer and model to ``out``; return a small manifest (sizes and weight digest)."""
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(text_root)
    tokenizer.save_pretrained(out)  # type: ignore[attr-defined]
    model = build_model(tokenizer)
    model.save_pretrained(out, safe_serialization=True)  # type: ignore[attr-defined]
    weights = out / "model.safetensors"
    manifest = {
        "vocab_size": len(tokenizer),  # type: ignore[arg-type]
        "hidden_size": HIDDEN,
        "layers": LAYERS,
        "heads": HEADS,
        "max_position_embeddings": MAX_POSITIONS,
        "eos_token": EOS,
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
    }
    (out / "parity_tiny_model.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: ``make_tiny_model.py OUT_DIR [--text-root DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--text-root", type=Path, default=Path(__file__).resolve().parents[2])
    args = parser.parse_args(argv)
    manifest = make(args.out, args.text_root)
    sys.stdout.write(json.dumps(manifest) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
