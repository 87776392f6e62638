"""Word families: forms and plain synonyms of a word meet; opposites never do."""

import pytest

from synth.search import content_words, stem
from synth.wordfamily import family, family_cover


def _same(a: str, b: str) -> bool:
    return family(stem(a)) == family(stem(b))


# Forms of one word, then plain synonyms: each pair must meet.
_MEET = (
    ("translated", "translation"),
    ("annotated", "annotators"),
    ("dropped", "drops"),
    ("lower", "low"),
    ("experimental", "experiments"),
    ("surpassed", "surpass"),
    ("beats", "outperforms"),
    ("drops", "decreases"),
    ("handful", "few"),
    ("two", "2"),
    ("picked", "selected"),
    ("mistakes", "errors"),
)


@pytest.mark.parametrize(("a", "b"), _MEET)
def test_forms_and_plain_synonyms_meet(a: str, b: str):
    assert _same(a, b)


def test_opposites_and_strangers_stay_apart():
    assert not _same("increases", "decreases")
    assert not _same("outperforms", "underperforms")
    assert not _same("improves", "hurts")
    assert not _same("few", "many")
    assert not _same("model", "dataset")


def test_family_cover_counts_words_said_otherwise():
    claim = content_words(
        "The new tagger beats the baseline, and its error rate drops with two annotators."
    )
    evidence = content_words(
        "Our tagger outperforms the baseline; errors decrease when 2 annotations are combined."
    )
    plain = len(claim & evidence) / len(claim)
    assert family_cover(claim, evidence) > plain
    assert family_cover(claim, claim) == 1.0
    assert family_cover(set(), evidence) == 0.0


def test_a_flipped_claim_gains_nothing():
    evidence = content_words("Pretraining on more data improves accuracy on every task.")
    said = content_words("Pretraining on more data enhances accuracy on every task.")
    flipped = content_words("Pretraining on more data hurts accuracy on every task.")
    assert family_cover(said, evidence) == 1.0
    assert family_cover(flipped, evidence) < 1.0
