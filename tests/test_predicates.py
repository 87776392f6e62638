"""Link features: whether a paper states a claim's words together (synth/predicates.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.libfacts import LibraryFacts
from synth.library import Library
from synth.predicates import (
    PaperWordIndex,
    link_features,
    paper_links,
    predicate_words,
    word_links,
)
from synth.search import content_words, stem

PAPER = [
    "We prune attention heads of mBERT on named entity recognition.",
    "Pruning half of the heads keeps NER F1 within one point.",
    "The results section follows.",
    "Inference time is reported for the base model only.",
    "Other work studies distillation.",
]


def _index(window: int = 1) -> PaperWordIndex:
    return PaperWordIndex(PAPER, window=window)


def _weights(words: set[str]) -> dict[str, float]:
    return {w: 1.0 for w in words}


def test_stated_claim_is_linked_and_unstated_predicate_is_not():
    stated = content_words("Pruning half of the heads of mBERT keeps NER F1 within one point.")
    links = link_features(stated, _index(), _weights(stated))
    assert links["paper_link"] > 0.9 and links["paper_link_min"] > 0.9
    # Same topic, a quantity the paper mentions only far from it: the predicate dangles.
    unstated = content_words("Pruning heads of mBERT halves the inference time.")
    w = word_links(unstated, _index(), _weights(unstated))
    assert w[stem("inference")] < w[stem("pruning")]
    links2 = link_features(unstated, _index(), _weights(unstated))
    assert links2["paper_link_min"] < links2["paper_link"] < links["paper_link"]


def test_window_joins_neighbouring_sentences():
    claim = content_words("We prune attention heads and keep NER F1 within one point.")
    alone = link_features(claim, _index(window=0), _weights(claim))
    joined = link_features(claim, _index(window=1), _weights(claim))
    assert joined["paper_link"] > alone["paper_link"]
    assert joined["paper_link_min"] == pytest.approx(1.0)


def test_rare_words_weigh_more_and_absent_words_are_skipped():
    claim = content_words("Distillation keeps NER F1 on Klingon.")
    # keeps/NER/F1 share a sentence (3 of 5 words each), distillation is alone (1 of 5).
    even = link_features(claim, _index(window=0), _weights(claim))
    assert even["paper_link"] == pytest.approx((3 * 0.6 + 0.2) / 4)
    assert even["paper_link_min"] == pytest.approx(0.2)
    # A rare word weighs more in the shares: the three shared words hold 3 of 14 now.
    heavy = dict(_weights(claim), distillation=10.0)
    rare = link_features(claim, _index(window=0), heavy)
    assert rare["paper_link_min"] == pytest.approx(3 / 14)
    assert rare["paper_link"] == pytest.approx((3 * 3 / 14 + 10 * 10 / 14) / 13)
    assert "klingon" not in word_links(claim, _index(), _weights(claim))
    nothing = link_features(
        content_words("Klingon opera"), _index(), _weights({"klingon", "opera"})
    )
    assert nothing == {"paper_link": 0.0, "paper_link_min": 0.0, "paper_link_pred_min": 0.0}


def test_real_paper_links(papers_library: Path):
    lib = Library(papers_library)
    try:
        known = LibraryFacts(lib)
        # The real XLM-R student report (../shared/data/papers/xlmr_xnli_en_tr_student_report).
        gap = "There is a performance gap of approximately 6.15% between English and Turkish."
        pid = next(s.paper_id for s in lib.sentences() if s.text == gap)
        stated = paper_links(known, pid, content_words(gap))
        assert stated["paper_link"] > 0.9
        unstated = paper_links(
            known,
            pid,
            content_words("The gap between English and Turkish halves inference latency."),
        )
        assert unstated["paper_link_min"] < stated["paper_link_min"]
        assert paper_links(known, None, content_words(gap)) == {
            "paper_link": 0.0,
            "paper_link_min": 0.0,
            "paper_link_pred_min": 0.0,
        }
        # The predicate the paper never states near the rest is the weakest plain word.
        said = paper_links(known, pid, content_words(gap), gap)
        halves = "The gap between English and Turkish halves inference latency."
        unsaid = paper_links(known, pid, content_words(halves), halves)
        assert unsaid["paper_link_pred_min"] < said["paper_link_pred_min"]
        # Built once per paper and facts object.
        from synth.predicates import paper_index

        assert paper_index(known, pid) is paper_index(known, pid)
    finally:
        lib.close()


def test_predicate_words_are_plain_lower_case_words():
    words = predicate_words(
        "Pruning XLM-R's heads halves the inference time of mBERT by 20% overall."
    )
    # Names (capitals), figures, hyphenated terms and words with punctuation attached are not.
    assert words == content_words("heads halves the inference time by")
    assert stem("mbert") not in words and stem("overall") not in words


def test_pred_min_reads_only_predicate_words():
    claim = content_words("Distillation keeps NER F1 on Klingon.")
    # Distillation (alone in its sentence, 1 of 5) is the weakest word; without it among the
    # predicates the weakest predicate is "keeps" (3 of 5).
    feats = link_features(claim, _index(window=0), _weights(claim), {stem("keeps")})
    assert feats["paper_link_min"] == pytest.approx(0.2)
    assert feats["paper_link_pred_min"] == pytest.approx(0.6)
    # No predicate word the paper uses: 0, as for a paper using none of the claim's words.
    assert link_features(claim, _index(), _weights(claim), {"zzz"})["paper_link_pred_min"] == 0.0
    assert link_features(claim, _index(), _weights(claim))["paper_link_pred_min"] == 0.0


def _word_links_reference(words, index, weight):
    """word_links as first written (one generator sum per passage, max per hit)."""
    total = sum(weight[w] for w in words) or 1.0
    scores, links = {}, {}
    for w in words:
        hits = index.where.get(w)
        if not hits:
            continue
        best = 0.0
        for i in hits:
            if i not in scores:
                scores[i] = sum(weight[v] for v in words if v in index.passages[i]) / total
            best = max(best, scores[i])
        links[w] = best
    return links


def test_word_links_gives_the_reference_floats():
    import random

    rng = random.Random(3)
    index = _index()
    vocab = sorted(set().union(*(content_words(t) for t in PAPER)) | {"klingon", "vulcan"})
    for _ in range(300):
        words = set(rng.sample(vocab, rng.randint(1, len(vocab))))
        weight = {w: rng.uniform(0.01, 9.0) for w in words}
        assert word_links(words, index, weight) == _word_links_reference(words, index, weight)
