"""Exactly what google-research/xtreme ``evaluate.py`` (``--xtreme_version xtreme-r``) computes.

Per language, on the 0-100 scale, with the scorer's own metric names:

- ``accuracy`` (XNLI, PAWS-X, Tatoeba, XCOPA; AmericasNLI here): share of lines whose stripped
  prediction equals the stripped label.
- ``f1`` / ``precision`` / ``recall`` (PAN-X/WikiANN, UD-POS): seqeval's defaults on tag sentences
  (for UD-POS this includes seqeval's reading of plain tags such as ``NOUN`` as chunk ``N``+``OUN``,
  exactly as the official scorer sees them).
- ``f1`` / ``precision`` / ``recall`` (BUCC): over the *sets* of (source, target) id pairs.
- ``exact_match`` / ``f1`` (XQuAD, TyDiQA): the SQuAD v1.1 script; (MLQA): the MLQA script, whose
  normalisation depends on the language (Unicode punctuation, articles per language, Chinese split
  into characters). Unanswered questions count as 0.
- ``map@20`` (Mewsli-X, LAReQA): mean over queries of AP@20, where AP@k divides by min(#relevant, k)
  and a repeated id counts once.

:func:`score_dirs` scores one task's folders; the writers live in :mod:`replicate.xtreme_io`.
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from replicate.xtreme_io import (  # noqa: F401  (writers re-exported for the pipeline)
    file_format,
    folder_name,
    write_labels,
    write_predictions,
)

# === Classification and retrieval by label ======================================================


def accuracy(labels: Sequence[Any], predictions: Sequence[Any]) -> dict[str, float]:
    """``{"accuracy": 0-100}`` over stripped string labels; lengths must match."""
    if len(labels) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions for {len(labels)} labels")
    if not predictions:
        raise ValueError("no predictions")
    correct = sum(
        str(p).strip() == str(y).strip() for p, y in zip(predictions, labels, strict=True)
    )
    return {"accuracy": 100.0 * correct / len(predictions)}


def bucc_f1(labels: Sequence[str], predictions: Sequence[str]) -> dict[str, float]:
    """BUCC mining F1 over the sets of ``src<TAB>tgt`` lines (or (src, tgt) pairs)."""
    gold = {_pair(x) for x in labels}
    pred = {_pair(x) for x in predictions}
    correct = len(gold & pred)
    if correct == 0:
        return {"f1": 0.0, "precision": 0.0, "recall": 0.0}
    precision, recall = correct / len(pred), correct / len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    return {"f1": 100 * f1, "precision": 100 * precision, "recall": 100 * recall}


def _pair(line: Any) -> tuple[str, ...]:
    return tuple(line.split("\t")) if isinstance(line, str) else tuple(str(x) for x in line)


# === Tagging ====================================================================================


def seqeval_f1(
    labels: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]]
) -> dict[str, float]:
    """seqeval F1/precision/recall (defaults, entity level) on sentences of tag strings."""
    from seqeval.metrics import f1_score, precision_score, recall_score

    gold = [list(s) for s in labels]
    pred = [list(s) for s in predictions]
    if len(gold) != len(pred):
        raise ValueError(f"{len(pred)} predicted sentences for {len(gold)} labelled ones")
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i + 1}: {len(p)} predicted tags for {len(g)} tokens")
    with warnings.catch_warnings():
        # seqeval warns on every plain tag ("NOUN seems not to be NE tag") -- UD-POS is all plain.
        warnings.simplefilter("ignore", UserWarning)
        return {
            "f1": 100 * float(f1_score(gold, pred)),
            "precision": 100 * float(precision_score(gold, pred)),
            "recall": 100 * float(recall_score(gold, pred)),
        }


# === SQuAD v1.1 =================================================================================

_SQUAD_PUNCT = set(string.punctuation)


def squad_normalize(text: str) -> str:
    """SQuAD v1.1: lower, drop ASCII punctuation, drop a/an/the, collapse whitespace."""
    text = "".join(ch for ch in text.lower() if ch not in _SQUAD_PUNCT)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def _token_f1(pred_tokens: list[str], gold_tokens: list[str]) -> float:
    common = Counter(pred_tokens) & Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred_tokens), same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def squad_f1(prediction: str, gold: str) -> float:
    """Token F1 (0-1) of one prediction against one gold answer, SQuAD v1.1 normalisation."""
    return _token_f1(squad_normalize(prediction).split(), squad_normalize(gold).split())


def squad_exact_match(prediction: str, gold: str) -> float:
    """1.0 when the SQuAD-normalised strings are equal, else 0.0."""
    return float(squad_normalize(prediction) == squad_normalize(gold))


# === MLQA (language-aware) ======================================================================

MLQA_WHITESPACE_LANGS = ("en", "es", "hi", "vi", "de", "ar")
MLQA_MIXED_SEGMENTATION_LANGS = ("zh",)
_MLQA_ARTICLES = {
    "en": r"\b(a|an|the)\b",
    "es": r"\b(un|una|unos|unas|el|la|los|las)\b",
    "vi": r"\b(của|là|cái|chiếc|những)\b",
    "de": r"\b(ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des)\b",
    # MLQA's Arabic pattern: its first branch can never match, so every "ال" is removed, even
    # inside words. Kept as is, because the official numbers were computed with it.
    "ar": r"\sال^|ال",
}
_CJK = re.compile(r"[\u4e00-\u9fa5]")


@cache
def unicode_punctuation() -> frozenset[str]:
    """Every Unicode character of category P*, plus ASCII punctuation (MLQA's PUNCT)."""
    chars = {chr(i) for i in range(sys.maxunicode) if unicodedata.category(chr(i)).startswith("P")}
    return frozenset(chars | set(string.punctuation))


def _mixed_segmentation(text: str) -> list[str]:
    # Chinese: each CJK character (and punctuation mark) is its own token; other runs split on spaces.
    punct = unicode_punctuation()
    tokens: list[str] = []
    run = ""
    for ch in text:
        if _CJK.search(ch) or ch in punct:
            tokens.extend(run.split())
            run = ""
            tokens.append(ch)
        else:
            run += ch
    tokens.extend(run.split())
    return tokens


def mlqa_normalize(text: str, lang: str) -> str:
    """MLQA: lower, drop Unicode punctuation, drop the language's articles, re-tokenise and join."""
    if lang not in MLQA_WHITESPACE_LANGS + MLQA_MIXED_SEGMENTATION_LANGS:
        raise ValueError(f"MLQA normalisation has no rules for language {lang!r}")
    punct = unicode_punctuation()
    text = "".join(ch for ch in text.lower() if ch not in punct)
    if lang in _MLQA_ARTICLES:
        text = re.sub(_MLQA_ARTICLES[lang], " ", text)
    tokens = _mixed_segmentation(text) if lang == "zh" else text.split()
    return " ".join(t for t in tokens if t.strip())


def mlqa_f1(prediction: str, gold: str, lang: str) -> float:
    """Token F1 (0-1) with MLQA's normalisation for ``lang``."""
    return _token_f1(mlqa_normalize(prediction, lang).split(), mlqa_normalize(gold, lang).split())


def mlqa_exact_match(prediction: str, gold: str, lang: str) -> float:
    """1.0 when the MLQA-normalised strings are equal, else 0.0."""
    return float(mlqa_normalize(prediction, lang) == mlqa_normalize(gold, lang))


# === QA over a SQuAD dataset ====================================================================

PairMetric = Callable[[str, str], float]


def qa_pair_metrics(task: str, lang: str) -> tuple[PairMetric, PairMetric]:
    """(exact_match, f1) per (prediction, gold) for a QA task: MLQA's for mlqa, SQuAD's otherwise."""
    if task == "mlqa":
        return (lambda p, g: mlqa_exact_match(p, g, lang)), (lambda p, g: mlqa_f1(p, g, lang))
    return squad_exact_match, squad_f1


def qa_per_example(
    dataset: Sequence[Mapping[str, Any]], predictions: Mapping[str, str], task: str, lang: str
) -> list[tuple[str, float, float]]:
    """(question id, exact_match 0/1, f1 0-1) per question of a SQuAD ``data`` list, in order.

    A question without a prediction scores 0, as in the official scripts.
    """
    em_fn, f1_fn = qa_pair_metrics(task, lang)
    out = []
    for article in dataset:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                golds = [a["text"] for a in qa["answers"]]
                if not golds:
                    raise ValueError(f"question {qa['id']} has no gold answer")
                if qa["id"] not in predictions:
                    out.append((qa["id"], 0.0, 0.0))
                    continue
                pred = predictions[qa["id"]]
                out.append(
                    (
                        qa["id"],
                        max(em_fn(pred, g) for g in golds),
                        max(f1_fn(pred, g) for g in golds),
                    )
                )
    return out


def qa_em_f1(
    dataset: Sequence[Mapping[str, Any]], predictions: Mapping[str, str], task: str, lang: str
) -> dict[str, float]:
    """``{"exact_match", "f1"}`` (0-100) over a SQuAD-format dataset and an id -> answer map."""
    rows = qa_per_example(dataset, predictions, task, lang)
    if not rows:
        raise ValueError("the label file holds no questions")
    return {
        "exact_match": 100.0 * sum(r[1] for r in rows) / len(rows),
        "f1": 100.0 * sum(r[2] for r in rows) / len(rows),
    }


# === Ranking ====================================================================================


def average_precision_at_k(
    relevant: Sequence[str], ranking: Sequence[str], k: int | None = 20
) -> float:
    """AP@k (0-1): precision at each new relevant hit in the top k, over min(#relevant, k)."""
    ranked = list(ranking[:k]) if k else list(ranking)
    targets = set(relevant)
    hits, score = 0, 0.0
    for i, item in enumerate(ranked):
        if item in targets and item not in ranked[:i]:
            hits += 1
            score += hits / (i + 1)
    divisor = min(len(targets), k) if k else len(targets)
    return score / divisor if divisor else 0.0


def map_at_k(
    labels: Mapping[str, Sequence[str]], predictions: Mapping[str, Sequence[str]], k: int = 20
) -> dict[str, float]:
    """``{"map@20": 0-100}``: mean AP@k over the labelled queries (no ranking: AP 0)."""
    if not labels:
        raise ValueError("the label file holds no queries")
    aps = [
        average_precision_at_k(gold, predictions.get(qid, []), k) for qid, gold in labels.items()
    ]
    return {f"map@{k}": 100.0 * sum(aps) / len(aps)}


# === One language of one task, in memory ========================================================


def score_language(task: str, lang: str, labels: Any, predictions: Any) -> dict[str, float]:
    """Score one language from already-read file contents (see replicate.xtreme_io readers).

    Raises:
        ValueError: mismatched lengths, empty files, or a language MLQA has no rules for.
    """
    fmt = file_format(task)
    if fmt == "label":
        return accuracy(labels, predictions)
    if fmt == "tag":
        return seqeval_f1(labels, predictions)
    if fmt == "bucc":
        return bucc_f1(labels, predictions)
    if fmt == "squad":
        if not isinstance(predictions, Mapping):
            raise ValueError("QA predictions must be a JSON object mapping question id to answer")
        return qa_em_f1(labels, predictions, folder_name(task), lang)
    return map_at_k(labels, predictions, 20)


def official_average(task: str, averages: Mapping[str, float]) -> float:
    """The scorer's ``avg_metric``: (EM + F1) / 2 for QA, else F1, else accuracy, else mAP@20."""
    if file_format(task) == "squad":
        return (averages["exact_match"] + averages["f1"]) / 2
    for name in ("f1", "accuracy", "map@20"):
        if name in averages:
            return averages[name]
    raise ValueError(f"no primary metric among {sorted(averages)}")


def __getattr__(name: str) -> Any:
    # score_dirs lives in replicate.scoring (which imports this module); re-exported lazily.
    if name in ("score_dirs", "ScoreError"):
        from replicate import scoring

        return getattr(scoring, name)
    raise AttributeError(name)
