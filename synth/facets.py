"""A research question's facets: the things it asks about, and whether a sentence speaks to each.

"What is the comparative effect of scaling intermediate-task data volume versus model size on the
robustness of zero-shot cross-lingual transfer across low-resource languages in XTREME-R?" asks
about six things at once (intermediate-task data volume, model size, robustness, zero-shot
cross-lingual transfer, low-resource languages, XTREME-R). A synthesis that only ranks claims by
similarity to the whole question hides which of them the library says nothing about; splitting the
question at its function words gives facets that are matched one by one, so the answer can say
which facets the papers cover and which are gaps.

The registries are explicit: FACET_BREAKS (words that end a facet), GENERIC_WORDS (words that are
no facet on their own: "effect", "comparative"), and FACET_SYNONYMS (how papers say the same
thing: "larger models" for model size, "resilient" for robustness).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synth.search import STOPWORDS, stem

# Words that end one facet and start the next: prepositions, conjunctions, wh-words, auxiliaries,
# and the effect verbs of yes/no questions ("Does pruning heads HURT multilingual models?").
FACET_BREAKS = frozenset(
    """of on in across versus vs vs. and or for to with between from by over under at among within
    against than compared when whether does do did is are was were be can could should would will
    what which how why who where affect affects hurt hurts help helps improve improves influence
    influences change changes increase increases reduce reduces matter matters""".split()
)
# Words that say how something is asked, not what about: a chunk made only of these is dropped.
GENERIC_WORDS = frozenset(
    """the a an what is comparative relative effect effects impact impacts role influence
    relationship difference differences question overall general extent degree any there well much
    many good scaling""".split()
)
# How papers word a facet's words (stems on both sides): one registry, read both ways.
FACET_SYNONYMS: dict[str, tuple[str, ...]] = {
    "size": ("larg", "larger", "small", "smaller", "paramet", "capacity", "bigger", "scale"),
    "volume": ("amount", "size", "number", "example", "quantity", "more", "fewer", "less"),
    "robustness": ("robust", "resil", "stabl", "stability", "degrad", "drop", "gap"),
    "low-resource": ("low-resourc", "under-resourced", "resource-poor", "low-resourced"),
    "cross-lingual": ("crosslingual", "cross-lingu", "multilingual"),
    "zero-shot": ("zero-shot",),
    "transfer": ("transfer", "cross-lingu"),
    "intermediate-task": ("intermedi", "stilt", "auxiliary", "pre-train", "pretrain"),
}
WINDOW_SLACK = 2  # words allowed between a facet's words in a sentence
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*")


def _variants(word: str) -> set[str]:
    """A word and its stem ("xtreme-r" stays whole: XTREME-R is not XTREME)."""
    w = word.lower()
    return {w, stem(w)}


def sentence_words(text: str) -> list[set[str]]:
    """Per content word of a sentence, in order: its variants, for facet matching.

    A word also carries its hyphenated join with the next word, so "cross lingual" and
    "intermediate task" say "cross-lingual" and "intermediate-task".
    """
    toks = [t.lower() for t in _TOKEN.findall(text)]
    out = []
    for i, tok in enumerate(toks):
        if tok in STOPWORDS:
            continue
        forms = _variants(tok)
        if i + 1 < len(toks):
            forms |= _variants(f"{tok}-{toks[i + 1]}")
        out.append(forms)
    return out


@dataclass(frozen=True)
class Facet:
    """One thing a question asks about."""

    phrase: str  # as worded in the question
    words: tuple[tuple[str, ...], ...]  # per content word: the forms that count as saying it

    def coverage(self, words: list[set[str]]) -> float:
        """Fraction of the facet's words a sentence says close together (within a few words).

        Words far apart do not make the facet: "base models ... training data size" is not
        "model size".
        """
        if not self.words:
            return 0.0
        hits = [
            {k for k, forms in enumerate(self.words) if any(f in w for f in forms)} for w in words
        ]
        span = len(self.words) + WINDOW_SLACK
        best = 0
        for start in range(len(hits)):
            if hits[start]:
                best = max(best, len(set().union(*hits[start : start + span])))
        return best / len(self.words)

    @property
    def needed(self) -> float:
        """Coverage at which a sentence speaks to the facet: both words of a two-word facet,
        all but one of a longer one."""
        n = len(self.words)
        return 1.0 if n <= 2 else (n - 1) / n


def _facet(phrase: str) -> Facet:
    words = []
    for tok in _TOKEN.findall(phrase):
        low = tok.lower()
        if low in STOPWORDS or low in GENERIC_WORDS:
            continue
        forms = _variants(low) | set(FACET_SYNONYMS.get(low, ()))
        words.append(tuple(sorted(forms)))
    return Facet(phrase, tuple(words))


_CONTRAST = frozenset({"versus", "vs", "vs.", "compared", "than", "against"})


def question_facets(question: str) -> list[Facet]:
    """Split a question at FACET_BREAKS into facets; chunks of GENERIC_WORDS only are dropped.

    A facet keeps its wording from the question ("zero-shot cross-lingual transfer"); a leading
    "scaling" stays in the phrase and is matched like any content word.
    """
    return split_question(question)[0]


def split_question(question: str) -> tuple[list[Facet], tuple[int, int] | None]:
    """Facets, and the two facets a comparative question sets against each other (indices).

    "... data volume versus model size ..." -> the facets just before and after "versus".
    """
    chunks: list[list[str]] = [[]]
    contrast_after: int | None = None  # index of the chunk that ends at a contrast word
    for tok in re.findall(r"[\w.\-]+", question.rstrip("?.! ")):
        if tok.lower() in FACET_BREAKS or tok.lower() in _CONTRAST:
            if tok.lower() in _CONTRAST and contrast_after is None:
                contrast_after = len(chunks) - 1
            chunks.append([])
        else:
            chunks[-1].append(tok)
    facets: list[Facet] = []
    index_of: dict[int, int] = {}  # chunk index -> facet index
    seen: set[str] = set()
    for k, chunk in enumerate(chunks):
        words = [w for w in chunk if w.lower() not in GENERIC_WORDS | STOPWORDS]
        if not words:
            continue
        phrase = " ".join(chunk[chunk.index(words[0]) :])
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            index_of[k] = len(facets)
            facets.append(_facet(phrase))
    contrast = None
    if contrast_after is not None:
        before = [index_of[k] for k in index_of if k <= contrast_after]
        after = [index_of[k] for k in index_of if k > contrast_after]
        if before and after:
            contrast = (before[-1], after[0])
    return facets, contrast
