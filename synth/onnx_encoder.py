"""A sentence-transformers encoder run by ONNX Runtime: the same vectors without importing torch.

``claimlab verify`` spends most of its start-up importing torch, transformers and
sentence-transformers (seconds on 2 cores) only to embed a few hundred short claims. A model made of
a Transformer, mean or CLS pooling and an optional Normalize module (all-MiniLM-L6-v2 is) is exported
once to ONNX (with torch, when it is loaded anyway) and then run with ``onnxruntime`` and the
``tokenizers`` fast tokenizer, which import in well under a second. The fp32 graph gives the torch
vectors to float rounding (tests/test_embed.py measures it); the int8 graph (:func:`quantize_per_token`:
int8 weights, activations quantized token by token) is a different encoder and is stamped as one.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

# Sentence-transformers modules the ONNX path reproduces; any other module means "use torch".
# A module's type as modules.json names it: "sentence_transformers.models.Pooling" before
# sentence-transformers 6, "sentence_transformers.sentence_transformer.modules.pooling.Pooling" since.
_TRANSFORMER, _POOLING, _NORMALIZE = "Transformer", "Pooling", "Normalize"


def _module_class(type_name: str) -> str:
    """The class name of a sentence-transformers module type ('' for a module of another package)."""
    return type_name.rsplit(".", 1)[-1] if type_name.startswith("sentence_transformers.") else ""


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
    classes = [_module_class(t) for t in types]
    if classes[:2] != [_TRANSFORMER, _POOLING] or any(c != _NORMALIZE for c in classes[2:]):
        raise OnnxUnsupported(f"{folder}: modules {types} are not Transformer+Pooling(+Normalize)")
    if not (folder / "tokenizer.json").is_file():
        raise OnnxUnsupported(f"{folder}: no tokenizer.json")
    pool = _read_json(folder / modules[1].get("path", "1_Pooling") / "config.json")
    # before sentence-transformers 6: one flag per mode; since: "pooling_mode": "mean"
    modes = [k for k, v in pool.items() if k.startswith("pooling_mode_") and v]
    if isinstance(pool.get("pooling_mode"), str):
        modes.append({"mean": "pooling_mode_mean_tokens", "cls": "pooling_mode_cls_token"}.get(
            pool["pooling_mode"], pool["pooling_mode"]))  # fmt: skip
    if modes not in (["pooling_mode_mean_tokens"], ["pooling_mode_cls_token"]):
        raise OnnxUnsupported(f"{folder}: pooling {modes} is not plain mean or CLS pooling")
    sbert = _read_json(folder / "sentence_bert_config.json")
    tok_max = _read_json(folder / "tokenizer_config.json").get("model_max_length", 10**6)
    return {
        "pooling": "mean" if modes == ["pooling_mode_mean_tokens"] else "cls",
        "normalize": len(types) > 2,
        "max_seq_length": int(min(sbert.get("max_seq_length") or tok_max, tok_max)),
        "do_lower_case": bool(sbert.get("do_lower_case", False)),
        "dim": int(pool.get("word_embedding_dimension") or pool["embedding_dimension"]),
    }


def export_onnx(st_model: Any, dest: Path, int8: bool = False) -> Path:
    """Export the Transformer module of a loaded SentenceTransformer to ``dest`` (atomically).

    Needs torch and the ``onnx`` package; with ``int8`` the fp32 graph beside ``dest`` is turned
    into :func:`quantize_per_token`'s int8 graph.
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
        tmp = dest.with_name(f".{dest.stem}.{os.getpid()}.onnx")
        quantize_per_token(fp32, tmp)
        os.replace(tmp, dest)
    return dest


def quantize_per_token(src: Path, dest: Path) -> int:
    """Write ``src``'s graph with every weight MatMul run in int8; return how many were replaced.

    Weights: int8 per output channel (symmetric, scale = the column's largest magnitude / 127).
    Activations: quantized token by token, each row of the MatMul's input with its own symmetric
    scale (its largest magnitude / 127), stored as uint8 around 128 so onnxruntime's u8s8 kernels
    (VNNI) run it; ``MatMulIntegerToFloat`` applies the weight scales, a Mul the row's. No scale is
    shared between the rows of a batch, so a text's vector never depends on the other texts encoded
    with it nor on padding: onnxruntime's dynamic quantization scales a whole batch at once, and the
    same claim's vector moved by up to 0.015 in cosine with its batchmates. Inputs shared by several
    MatMuls (query, key, value) are quantized once. The attention products, LayerNorm, GELU and the
    embedding tables stay fp32.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    weights = {i.name: i for i in graph.initializer if len(i.dims) == 2}
    added: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        added.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> Any:
        return helper.make_node(op, inputs, [output], name=output, **attrs)

    eps, c127, c128 = (const(f"pt_{n}", np.array(v, np.float32)) for n, v in
                       (("eps", 1e-8), ("127", 127.0), ("128", 128.0)))  # fmt: skip
    zp, unit = const("pt_zp", np.array(128, np.uint8)), const("pt_unit", np.array(1.0, np.float32))
    flat = const("pt_flat", np.array([-1], np.int64))
    nodes: list[Any] = []
    quantized: dict[str, str] = {}  # MatMul input -> prefix of its quantized rows
    replaced, used = 0, set()
    for n in graph.node:
        w = weights.get(n.input[1]) if n.op_type == "MatMul" and len(n.input) == 2 else None
        if w is None:
            nodes.append(n)
            continue
        W = numpy_helper.to_array(w).astype(np.float32)  # [K, N]
        scale = np.abs(W).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        p = f"pt{replaced}"
        wq = const(f"{p}_w", np.clip(np.round(W / scale), -127, 127).astype(np.int8))
        ws = const(f"{p}_ws", scale.astype(np.float32))
        x = n.input[0]
        q = quantized.get(x)
        if q is None:
            quantized[x] = q = p
            rows = const(f"{p}_rows", np.array([-1, W.shape[0]], np.int64))
            nodes += [
                node("Abs", [x], f"{p}_abs"),
                node("ReduceMax", [f"{p}_abs"], f"{p}_max", axes=[-1], keepdims=1),
                node("Div", [f"{p}_max", c127], f"{p}_s0"),
                node("Max", [f"{p}_s0", eps], f"{p}_s"),  # [..., 1]: one scale per token
                node("Reshape", [f"{p}_s", flat], f"{p}_sf"),
                node("Sub", [f"{p}_sf", f"{p}_sf"], f"{p}_z0"),
                node("Add", [f"{p}_z0", c128], f"{p}_z1"),
                node("Cast", [f"{p}_z1"], f"{p}_z", to=TensorProto.UINT8),  # 128 per token
                node("Reshape", [x, rows], f"{p}_x2"),
                node("QuantizeLinear", [f"{p}_x2", f"{p}_sf", f"{p}_z"], f"{p}_q2", axis=0),
                node("Shape", [x], f"{p}_shape"),
                node("Reshape", [f"{p}_q2", f"{p}_shape"], f"{p}_q"),
            ]
        nodes += [
            node("MatMulIntegerToFloat", [f"{q}_q", wq, unit, ws, zp], f"{p}_y",
                 domain="com.microsoft"),
            node("Mul", [f"{p}_y", f"{q}_s"], n.output[0]),
        ]  # fmt: skip
        used.add(w.name)
        replaced += 1
    del graph.node[:]
    graph.node.extend(nodes)
    still = {i for n in nodes for i in n.input}
    kept = [i for i in graph.initializer if i.name not in used or i.name in still]
    del graph.initializer[:]
    graph.initializer.extend([*kept, *added])
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(dest))
    return replaced


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
        # Batches run side by side, each on one thread (``threads`` at once, one per core by
        # default), rather than one batch at a time split across the cores: a batch of short
        # claims gives each operator little work to share, and an operator split across cores
        # waits for its slowest part (on 2 shared cores, where the checks run beside the
        # encoder, often a descheduled thread). A batch's vector is the same either way.
        self.workers = max(1, threads or len(os.sched_getaffinity(0)))
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
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
        jobs: list[list[int]] = []
        start = 0
        while start < len(order):
            # At most batch_size texts and about max_tokens padded tokens: a batch's activations
            # stay in cache (on 2 shared cores: 512 tokens ran 1.2-1.8x faster than 64 texts).
            width = len(encodings[order[start]].ids)
            size = max(1, min(batch_size, self.max_tokens // max(1, width)))
            jobs.append(order[start : start + size])
            start += size
        if self.workers == 1 or len(jobs) == 1:
            for idx in jobs:
                yield idx, self._batch([encodings[i] for i in idx])
            return
        # In order, with a few batches in flight: a caller that stops early leaves little running.
        with ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-encode") as pool:
            flight: deque[tuple[list[int], Future[np.ndarray]]] = deque()
            try:
                for idx in jobs:
                    flight.append((idx, pool.submit(self._batch, [encodings[i] for i in idx])))
                    if len(flight) < 2 * self.workers:
                        continue
                    done, future = flight.popleft()
                    yield done, future.result()
                while flight:
                    done, future = flight.popleft()
                    yield done, future.result()
            finally:
                for _, future in flight:
                    future.cancel()

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
