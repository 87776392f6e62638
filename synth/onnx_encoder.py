"""A sentence-transformers encoder run by ONNX Runtime: the same vectors without importing torch.

``claimlab verify`` spends most of its start-up importing torch, transformers and
sentence-transformers (seconds on 2 cores) only to embed a few hundred short claims. A model made of
a Transformer, mean or CLS pooling and an optional Normalize module (all-MiniLM-L6-v2 is) is exported
once to ONNX (with torch, when it is loaded anyway) and then run with ``onnxruntime`` and the
``tokenizers`` fast tokenizer, which import in well under a second. The fp32 graph gives the torch
vectors to float rounding (tests/test_embed.py measures it); the optional int8 graph (dynamic
quantization of the weights) is a different encoder and is stamped as one.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

# Sentence-transformers modules the ONNX path reproduces; any other module means "use torch".
_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"
# ONNX input name -> attribute of a ``tokenizers.Encoding``.
_FIELDS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}


class OnnxUnsupported(RuntimeError):
    """The model folder holds modules the ONNX path does not reproduce."""


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def model_recipe(folder: str | Path) -> dict[str, Any]:
    """How a sentence-transformers folder turns tokens into a vector, when ONNX can reproduce it.

    Args:
        folder: a local sentence-transformers model folder.

    Returns:
        ``pooling`` ("mean" or "cls"), ``normalize``, ``max_seq_length``, ``do_lower_case``, ``dim``.

    Raises:
        OnnxUnsupported: other modules, other pooling, or no fast-tokenizer file.
    """
    folder = Path(folder)
    modules = (
        json.loads((folder / "modules.json").read_text())
        if (folder / "modules.json").is_file()
        else []
    )
    types = [m.get("type", "") for m in modules]
    if types[:2] != [_TRANSFORMER, _POOLING] or any(t != _NORMALIZE for t in types[2:]):
        raise OnnxUnsupported(f"{folder}: modules {types} are not Transformer+Pooling(+Normalize)")
    if not (folder / "tokenizer.json").is_file():
        raise OnnxUnsupported(f"{folder}: no tokenizer.json")
    pool = _read_json(folder / modules[1].get("path", "1_Pooling") / "config.json")
    modes = [k for k, v in pool.items() if k.startswith("pooling_mode") and v]
    if modes not in (["pooling_mode_mean_tokens"], ["pooling_mode_cls_token"]):
        raise OnnxUnsupported(f"{folder}: pooling {modes} is not plain mean or CLS pooling")
    sbert = _read_json(folder / "sentence_bert_config.json")
    tok_max = _read_json(folder / "tokenizer_config.json").get("model_max_length", 10**6)
    return {
        "pooling": "mean" if modes == ["pooling_mode_mean_tokens"] else "cls",
        "normalize": len(types) > 2,
        "max_seq_length": int(min(sbert.get("max_seq_length") or tok_max, tok_max)),
        "do_lower_case": bool(sbert.get("do_lower_case", False)),
        "dim": int(pool["word_embedding_dimension"]),
    }


def export_onnx(st_model: Any, dest: Path, int8: bool = False) -> Path:
    """Export the Transformer module of a loaded SentenceTransformer to ``dest`` (atomically).

    Needs torch and the ``onnx`` package; with ``int8`` the fp32 graph beside ``dest`` is quantized
    (weights int8 per output channel, activations quantized on the fly: onnxruntime's dynamic
    quantization; per-channel keeps cosine to fp32 near 0.99, per-tensor fell to 0.93).
    """
    import torch

    dest.parent.mkdir(parents=True, exist_ok=True)
    fp32 = dest.with_name("model.onnx")
    if not fp32.is_file():
        hf = st_model[0].auto_model.eval()
        names = list(st_model.tokenizer.model_input_names)
        if not set(names) <= set(_FIELDS):
            raise OnnxUnsupported(f"tokenizer inputs {names} are not {sorted(_FIELDS)}")
        sample = st_model.tokenizer(
            ["an example", "a longer example sentence"], padding=True, return_tensors="pt"
        )

        class _Wrapped(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.hf = hf

            def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
                return self.hf(**dict(zip(names, inputs, strict=True))).last_hidden_state

        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        tmp = fp32.with_name(f".model.{os.getpid()}.onnx")
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Wrapped(), tuple(sample[n] for n in names), str(tmp), input_names=names,
                output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17,
                dynamo=False,
            )  # fmt: skip
        os.replace(tmp, fp32)
    if int8 and not dest.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = dest.with_name(f".model-int8.{os.getpid()}.onnx")
        logging.disable(logging.WARNING)  # its "consider pre-processing" advice, every time
        try:
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.disable(logging.NOTSET)
        os.replace(tmp, dest)
    return dest


class OnnxEncoder:
    """Tokenize with ``tokenizers``, run the graph with ``onnxruntime``, pool and normalize in numpy."""

    def __init__(
        self,
        onnx_path: Path,
        folder: str | Path,
        threads: int | None = None,
        max_tokens: int = 512,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.recipe = model_recipe(folder)
        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
        # The file may carry its own truncation/padding; sentence-transformers' own length rules.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.recipe["max_seq_length"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle threads sleep instead of spinning: on 2 shared cores spinning starves the work.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = [i.name for i in self.session.get_inputs()]

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Float32 vectors (unit norm when the model normalizes), one row per text."""
        out = np.zeros((len(texts), self.recipe["dim"]), dtype=np.float32)
        for idx, vecs in self.batches(texts, batch_size):
            out[idx] = vecs
        return out

    def batches(
        self, texts: list[str], batch_size: int = 64
    ) -> Iterator[tuple[list[int], np.ndarray]]:
        """:meth:`encode`'s batches, in the order it runs them: (indices into ``texts``, their
        vectors) as each is done (a caller can read the first texts' vectors while the rest are
        encoded; :meth:`encode` is these batches put together)."""
        if not texts:
            return
        if self.recipe["do_lower_case"]:
            texts = [t.lower() for t in texts]
        encodings = self.tokenizer.encode_batch(texts)
        # Length-sorted batches: short claims are not padded to the longest sentence of the input.
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable").tolist()
        start = 0
        while start < len(order):
            # At most batch_size texts and about max_tokens padded tokens: a batch's activations
            # stay in cache (on 2 shared cores: 512 tokens ran 1.2-1.8x faster than 64 texts).
            width = len(encodings[order[start]].ids)
            size = max(1, min(batch_size, self.max_tokens // max(1, width)))
            idx = order[start : start + size]
            yield idx, self._batch([encodings[i] for i in idx])
            start += size

    def _batch(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        arrays = {n: np.zeros((len(encodings), width), dtype=np.int64) for n in self.input_names}
        for r, e in enumerate(encodings):
            for name in self.input_names:
                values = getattr(e, _FIELDS[name])
                arrays[name][r, : len(values)] = values
        hidden = self.session.run(None, arrays)[0]
        if self.recipe["pooling"] == "cls":
            vecs = hidden[:, 0]
        else:
            mask = arrays["attention_mask"][..., None].astype(np.float32)
            vecs = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        if self.recipe["normalize"]:
            vecs = vecs / np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
        return vecs.astype(np.float32)
