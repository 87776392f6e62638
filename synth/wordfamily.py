"""Word families: one key for the forms and the plain synonyms of a word in scientific writing.

``synth.search.stem`` meets inflections ("improves" / "improved") but not a noun made from a verb
("translated" / "translation", "annotated" / "annotators"), a doubled consonant ("drops" /
"dropped") or a comparative ("low" / "lower"), and no synonym at all: support stated in other
words ("drops" for "decreases", "outperforms" for "beats", "a handful" for "a few", numbers written
as words) shares few of the evidence's stems. :func:`family` maps a stem to a key those forms
share; :func:`family_cover` is the share of a claim's words whose family the evidence holds.

The synonym groups are small and same-sense only (never a word and its opposite): a word of a
group counts as any other of it. Words of a direction stay in their direction ("improve" with
"boost", never with "reduce"), so a flipped claim gains nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from synth.search import stem

# Derivational endings stripped from a stem (at most two, outermost first), so the verb's, the
# noun's and the adjective's stems meet: "translat(ed)" / "translat(ion)", "annotat(ed)" /
# "annotat(or)", "low" / "low(er)", "experiment" / "experiment(al)", "predict(iv)e".
_ENDINGS = ("al", "ion", "ment", "or", "er", "iv")
_MIN_ROOT = 3
_VOWELS = frozenset("aeiou")

# Same-sense words of scientific writing, one group a line (surface forms; stemmed below).
_GROUPS: tuple[str, ...] = (
    "outperform beat surpass exceed outdo outstrip superior",
    "underperform inferior lag trail",
    "decrease drop decline reduce reduction shrink diminish lessen fall fell",
    "degrade deteriorate worsen hurt harm",
    "increase rise rose grow grew boost raise",
    "improve improvement enhance gain benefit help",
    "few handful",
    "many numerous plenty",
    "several multiple various",
    "select choose chose chosen pick",
    "show demonstrate reveal indicate",
    "observe notice find found",
    "large big huge great",
    "small tiny little",
    "same identical",
    "similar comparable",
    "method approach technique",
    "dataset data corpus corpora",
    "often frequently commonly usually typically",
    "rarely seldom",
    "approximately roughly around nearly almost",
    "significantly substantially considerably markedly sharply dramatically",
    "slightly marginally modestly somewhat",
    "important crucial essential critical vital key",
    "difficult hard challenging",
    "easy simple straightforward",
    "need require necessary",
    "allow enable let permit",
    "investigate examine explore study analyze analyse",
    "build construct create develop",
    "collect gather compile",
    "mistake error",
    "human people person",
    "one 1",
    "two 2 pair",
    "three 3",
    "four 4",
    "five 5",
    "six 6",
    "seven 7",
    "eight 8",
    "nine 9",
    "ten 10",
    "twelve 12",
    "twice double",
)


@lru_cache(maxsize=65536)
def _root(word: str) -> str:
    """The word without a derivational ending, its last consonant undoubled ("dropp" -> "drop")."""
    for _ in range(2):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_ROOT:
                word = word[: -len(ending)]
                break
        else:
            break
    if len(word) > _MIN_ROOT and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    """Each group word's root -> the group's key (its first word's root, marked "~")."""
    table: dict[str, str] = {}
    for line in _GROUPS:
        words = line.split()
        key = "~" + _root(stem(words[0]))
        for word in words:
            table.setdefault(_root(stem(word)), key)
    return table


@lru_cache(maxsize=131072)
def family(word: str) -> str:
    """The key a stem (``synth.search.stem``) shares with its other forms and plain synonyms."""
    root = _root(word)
    return _lexicon().get(root, root)


def families(stems: Iterable[str]) -> frozenset[str]:
    """The family keys of stems."""
    return frozenset(family(s) for s in stems)


def family_cover(claim_stems: Iterable[str], evidence_stems: Iterable[str]) -> float:
    """The share of the claim's stems whose family the evidence's stems hold (0 without any)."""
    claim = list(dict.fromkeys(claim_stems))
    if not claim:
        return 0.0
    have = families(evidence_stems)
    return sum(family(s) in have for s in claim) / len(claim)
