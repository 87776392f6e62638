"""Examples -> token features (tokenised once, cached by content hash) -> padded batches -> predictions.

One featuriser per task format. A feature is a plain dict of int lists (plus ``meta`` that evaluation
needs to map outputs back to words or characters). ``collate`` pads a batch to its own longest
sequence (dynamic padding); ``length_grouped_batches`` puts similar lengths together so little
padding is computed at all.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import torch

from replicate.fsutil import cache_dir
from replicate.heads import IGNORE

Feature = dict[str, Any]


def _cls(examples: Sequence[Any], tok: Any, max_length: int) -> list[Feature]:
    pairs = [e.text_b is not None for e in examples]
    if any(pairs):
        enc = tok(
            [e.text_a for e in examples],
            [e.text_b or "" for e in examples],
            truncation=True,
            max_length=max_length,
        )
    else:
        enc = tok([e.text_a for e in examples], truncation=True, max_length=max_length)
    return [
        {"input_ids": ids, "labels": e.label}
        for ids, e in zip(enc["input_ids"], examples, strict=True)
    ]


def _mc(examples: Sequence[Any], tok: Any, max_length: int) -> list[Feature]:
    firsts, seconds = [], []
    for e in examples:
        first = f"{e.context} {e.question}".strip()
        firsts += [first] * len(e.choices)
        seconds += list(e.choices)
    enc = tok(firsts, seconds, truncation="only_first", max_length=max_length)["input_ids"]
    out, pos = [], 0
    for e in examples:
        n = len(e.choices)
        out.append({"input_ids": enc[pos : pos + n], "labels": e.label})
        pos += n
    return out


def _qa(examples: Sequence[Any], tok: Any, max_length: int) -> list[Feature]:
    enc = tok(
        [e.question for e in examples],
        [e.context for e in examples],
        truncation="only_second",
        max_length=max_length,
        return_offsets_mapping=True,
    )
    out = []
    for i, e in enumerate(examples):
        seq = enc.sequence_ids(i)
        offsets = [
            o if s == 1 else None for o, s in zip(enc["offset_mapping"][i], seq, strict=True)
        ]
        feat: Feature = {
            "input_ids": enc["input_ids"][i],
            "context_mask": [int(s == 1) for s in seq],
            "meta": {"offsets": offsets, "context": e.context, "guid": e.guid},
        }
        start_char = e.answer_starts[0] if e.answer_starts else -1
        end_char = start_char + len(e.answer_texts[0]) if e.answer_texts else -1
        start_tok = end_tok = 0  # the first token: "no answer in this window"
        for t, off in enumerate(offsets):
            if off is None:
                continue
            if off[0] <= start_char < off[1]:
                start_tok = t
            if off[0] < end_char <= off[1]:
                end_tok = t
        if start_tok and end_tok >= start_tok:
            feat["start_positions"], feat["end_positions"] = start_tok, end_tok
        else:
            feat["start_positions"] = feat["end_positions"] = 0
        out.append(feat)
    return out


def _tag(
    examples: Sequence[Any], tok: Any, max_length: int, labels: Sequence[str]
) -> list[Feature]:
    index = {t: i for i, t in enumerate(labels)}
    enc = tok(
        [list(e.tokens) for e in examples],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
    )
    out = []
    for i, e in enumerate(examples):
        word_ids = enc.word_ids(i)
        tags, seen = [], set()
        for w in word_ids:
            if w is None or w in seen:
                tags.append(IGNORE)
            else:
                seen.add(w)
                tags.append(index.get(e.tags[w], 0))
        out.append(
            {
                "input_ids": enc["input_ids"][i],
                "labels": tags,
                "meta": {"word_ids": word_ids, "n_words": len(e.tokens)},
            }
        )
    return out


def featurize(
    fmt: str, examples: Sequence[Any], tok: Any, max_length: int, labels: Sequence[str] = ()
) -> list[Feature]:
    """Tokenise examples of one format into features (no padding)."""
    if fmt in ("classification", "pair_classification"):
        return _cls(examples, tok, max_length)
    if fmt == "multiple_choice":
        return _mc(examples, tok, max_length)
    if fmt == "qa":
        return _qa(examples, tok, max_length)
    if fmt == "tagging":
        return _tag(examples, tok, max_length, labels)
    raise ValueError(f"no featuriser for format {fmt!r}")


def tokenizer_fingerprint(tok: Any) -> str:
    """Identify a tokenizer by its full serialised state (vocab, normaliser, template)."""
    memo = getattr(tok, "_claimlab_fingerprint", None)
    if (
        memo
    ):  # serialising a 250k-piece vocabulary takes ~0.5 s; once per tokenizer object is enough
        return memo
    backend = getattr(tok, "backend_tokenizer", None)
    if backend is None:
        state = json.dumps(tok.get_vocab(), sort_keys=True)
    else:  # truncation/padding are call-time settings that the backend remembers: leave them out
        parsed = json.loads(backend.to_str())
        parsed.pop("truncation", None)
        parsed.pop("padding", None)
        state = json.dumps(parsed, sort_keys=True)
    memo = hashlib.sha256(state.encode()).hexdigest()[:16]
    try:
        tok._claimlab_fingerprint = memo
    except AttributeError:
        pass
    return memo


def cached_features(
    fmt: str, examples: Sequence[Any], tok: Any, max_length: int, labels: Sequence[str] = ()
) -> list[Feature]:
    """``featurize`` with an on-disk cache keyed by the content hash of everything that matters."""
    h = hashlib.sha256()
    h.update(json.dumps([fmt, max_length, list(labels), tokenizer_fingerprint(tok)]).encode())
    for e in examples:
        h.update(json.dumps(asdict(e), sort_keys=True, ensure_ascii=False).encode())
    path = cache_dir("features") / f"{h.hexdigest()[:24]}.pt"
    if path.is_file():
        try:
            return torch.load(path, weights_only=False)
        except Exception:  # a torn file from a killed writer: rebuild it
            path.unlink(missing_ok=True)
    feats = featurize(fmt, examples, tok, max_length, labels)
    tmp = path.with_suffix(f".{random.getrandbits(32):x}.tmp")
    torch.save(feats, tmp)
    tmp.replace(path)
    return feats


def feature_length(feat: Feature) -> int:
    ids = feat["input_ids"]
    return max(len(x) for x in ids) if ids and isinstance(ids[0], list) else len(ids)


def length_grouped_batches(
    features: Sequence[Feature], batch_size: int, seed: int, shuffle: bool = True
) -> list[list[int]]:
    """Batches of indices with similar lengths: shuffle, sort inside mega-chunks, shuffle batches."""
    rng = random.Random(seed)
    order = list(range(len(features)))
    if shuffle:
        rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: -feature_length(features[i]))
        batches += [part[j : j + batch_size] for j in range(0, len(part), batch_size)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def _pad(seqs: Sequence[Sequence[int]], value: int) -> torch.Tensor:
    width = max(len(s) for s in seqs)
    return torch.tensor([list(s) + [value] * (width - len(s)) for s in seqs], dtype=torch.long)


def collate(fmt: str, feats: Sequence[Feature], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad one batch to its longest sequence and stack the labels."""
    if fmt == "multiple_choice":
        seqs = [s for f in feats for s in f["input_ids"]]
        batch = {
            "input_ids": _pad(seqs, pad_id),
            "num_choices": torch.tensor(len(feats[0]["input_ids"])),
        }
    else:
        batch = {"input_ids": _pad([f["input_ids"] for f in feats], pad_id)}
    lengths = [
        len(s) for s in (seqs if fmt == "multiple_choice" else [f["input_ids"] for f in feats])
    ]
    width = batch["input_ids"].shape[1]
    batch["attention_mask"] = torch.tensor([[1] * n + [0] * (width - n) for n in lengths])
    if fmt == "tagging":
        batch["labels"] = _pad([f["labels"] for f in feats], IGNORE)
    elif fmt == "qa":
        batch["context_mask"] = _pad([f["context_mask"] for f in feats], 0)
        if "start_positions" in feats[0]:
            batch["start_positions"] = torch.tensor([f["start_positions"] for f in feats])
            batch["end_positions"] = torch.tensor([f["end_positions"] for f in feats])
    elif "labels" in feats[0]:
        batch["labels"] = torch.tensor([f["labels"] for f in feats])
    return batch


def decode(fmt: str, feat: Feature, logits: torch.Tensor, labels: Sequence[str] = ()) -> Any:
    """One example's prediction: a label index, a tag sequence, or an answer string."""
    if fmt in ("classification", "pair_classification", "multiple_choice"):
        return int(logits.argmax(-1))
    if fmt == "tagging":
        pred = logits.argmax(-1).tolist()
        tags = ["O" if "O" in labels else labels[0]] * feat["meta"]["n_words"]
        for pos, w in enumerate(feat["meta"]["word_ids"]):
            if (
                w is not None
                and pos < len(pred)
                and (pos == 0 or feat["meta"]["word_ids"][pos - 1] != w)
            ):
                tags[w] = labels[pred[pos]]
        return tags
    if fmt == "qa":
        return _best_span(feat, logits)
    raise ValueError(f"no decoder for format {fmt!r}")


def _best_span(feat: Feature, logits: torch.Tensor, max_answer_tokens: int = 30) -> str:
    start, end = logits[..., 0], logits[..., 1]
    offsets = feat["meta"]["offsets"]
    best, best_score = (None, None), -float("inf")
    top_s = torch.topk(start, k=min(20, start.numel())).indices.tolist()
    top_e = torch.topk(end, k=min(20, end.numel())).indices.tolist()
    for s in top_s:
        for e in top_e:
            if s >= len(offsets) or e >= len(offsets) or offsets[s] is None or offsets[e] is None:
                continue
            if e < s or e - s + 1 > max_answer_tokens:
                continue
            score = float(start[s] + end[e])
            if score > best_score:
                best, best_score = (offsets[s][0], offsets[e][1]), score
    if best[0] is None:
        return ""
    return feat["meta"]["context"][best[0] : best[1]]
