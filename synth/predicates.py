"""Whether a paper states a claim's words together: on topic but never said (NOT ENOUGH INFO).

A claim about a paper's topic that the paper never makes ("Bilingual adapters make inference
faster than full fine-tuning" about a paper that never measures speed) uses the paper's terms, so
the paper as a whole covers its words (``paper_cover``); but some of them, often the predicate or
the measured quantity, never appear near the rest of the claim. A stated claim, paraphrased or
refuted, has a passage (a sentence and its neighbours) that holds most of its words.

For each claim word the paper uses, its *link* is the largest share of the claim's words (weighted
by rarity, as ``LibraryFacts.weighted_cover``) that one passage around a sentence using it holds.
The verifier reads the rarity-weighted mean link and the weakest word's link, and the weakest
link among the claim's *predicate words* (``paper_link_pred_min``), its plain lower-case words: a
name, figure or term may link weakly only because the paper writes it another way ("XLM-R's",
"F1-score"), while the verb or measured quantity a related claim adds ("halves the inference
time") is a plain word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from synth.libfacts import LibraryFacts
from synth.search import content_words

# Sentences either side of one using a word that count as its passage: a claim often joins a
# sentence and the next ("We prune heads. This cuts latency by 20%").
WINDOW = 1

_EMPTY = {"paper_link": 0.0, "paper_link_min": 0.0, "paper_link_pred_min": 0.0}


def predicate_words(claim: str) -> set[str]:
    """The content words (``content_words``) of a claim's whitespace tokens written in lower-case
    letters only: no capital (a name), digit (a figure), hyphen or attached punctuation ("XLM-R",
    "pre-training", "results.": terms and clause ends a paper often writes otherwise)."""
    return content_words(
        " ".join(t for t in re.findall(r"\S+", claim) if t.isalpha() and t.islower())
    )


class PaperWordIndex:
    """One paper's passages: the content words of each sentence with its neighbours, and
    word -> the sentences that use it."""

    def __init__(self, sentences: Iterable[str], window: int = WINDOW) -> None:
        words = [frozenset(content_words(t)) for t in sentences]
        self.where: dict[str, list[int]] = {}
        for i, ws in enumerate(words):
            for w in ws:
                self.where.setdefault(w, []).append(i)
        n = len(words)
        self.passages: list[frozenset[str]] = [
            frozenset().union(*words[max(0, i - window) : min(n, i + window + 1)]) for i in range(n)
        ]


def word_links(words: set[str], index: PaperWordIndex, weight: Mapping[str, float]) -> dict:
    """For each of ``words`` the paper uses: the largest weighted share of ``words`` that one
    passage around a sentence using it holds (each passage scored once)."""
    # The weights in the words' own order: every sum adds the same floats in the same order.
    weighted = [(v, weight[v]) for v in words]
    total = sum(wv for _, wv in weighted) or 1.0
    scores: dict[int, float] = {}
    links: dict[str, float] = {}
    for w in words:
        hits = index.where.get(w)
        if not hits:
            continue
        best = 0.0
        for i in hits:
            score = scores.get(i)
            if score is None:
                held = index.passages[i]
                score = scores[i] = sum([wv for v, wv in weighted if v in held]) / total
            if score > best:
                best = score
        links[w] = best
    return links


def link_features(
    words: set[str],
    index: PaperWordIndex,
    weight: Mapping[str, float],
    predicates: Iterable[str] = (),
) -> dict:
    """``paper_link`` (the rarity-weighted mean link of the claim words the paper uses),
    ``paper_link_min`` (the weakest one's) and ``paper_link_pred_min`` (the weakest among those
    also in ``predicates``, see ``predicate_words``); each 0 when it has no word to read."""
    links = word_links(words, index, weight)
    if not links:
        return dict(_EMPTY)
    present = sum(weight[w] for w in links) or 1.0
    return {
        "paper_link": sum(weight[w] * v for w, v in links.items()) / present,
        "paper_link_min": min(links.values()),
        "paper_link_pred_min": min((links[w] for w in predicates if w in links), default=0.0),
    }


def paper_index(known: LibraryFacts, paper_id: str) -> PaperWordIndex:
    """The passages of a paper (its evidence-eligible sentences, in reading order), built once
    per paper (kept by the facts object, stored with its other tables: ``synth.libstate``)."""
    known.load_paper(paper_id)
    per = known._word_index
    if paper_id not in per:
        per[paper_id] = PaperWordIndex(known.passage_texts(paper_id))
    return per[paper_id]


def paper_links(
    known: LibraryFacts, paper_id: str | None, words: set[str], claim: str = ""
) -> dict[str, float]:
    """The link features of a claim's content words (``synth.search.content_words``) in the
    paper of the evidence the checks read (``paper_id``; None: no human-written evidence);
    ``claim`` (its text) names its predicate words."""
    if paper_id is None or not words:
        return dict(_EMPTY)
    # The library's rarity weights, as LibraryFacts.weighted_cover uses them.
    weight = known.idf_weights(words)
    return link_features(words, paper_index(known, paper_id), weight, predicate_words(claim))
