"""What each figure of a sentence is said of, so a claim's figure bound to the wrong thing shows.

A sentence that lists parallel figures binds each to its own words: "an 8.9% improvement ...
after Stage 1 training, and a 3.7% improvement after Stage 2 training"; "LaBSE by 0.9% and other
variants by at least 3.0%"; "4.7% and 15.5% for Malagasy and Turkish, respectively"; "Precision
67.28, Recall 97.33, F1 79.56". A claim that gives "almost nine points after Stage 2" states a
figure the sentence states, but of the other condition. :func:`misbound` says so: the claim's
words around its figure take the side of another figure of the list in one of its slots (the
words just before it and the noun it counts, a preposition's phrase after it, the item a
"respectively" gives it, the names among them). Figures listed together ("+6.0 and +4.1 BLEU")
share their words; a slot one figure leaves empty tells nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from synth.search import STOPWORDS, stem

# Words, digits of names ("Stage 2"), and the punctuation that bounds a figure's phrase.
_TOKEN = re.compile(r"[A-Za-z0-9][\w.-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;:()=]")
# Where one figure's phrase ends and a parallel one's begins: punctuation and connectives.
_BREAKS = frozenset(",;:()")
_CONNECTIVES = frozenset(
    "and but while whereas versus vs compared than respectively which that so instead against "
    "unlike rather".split()
)
# Prepositions that open a phrase saying what a figure is of: "for OPUS", "after Stage 2".
_PREPS = frozenset("for on after at in with of from over under per during across before".split())
# Words that never tell two parallel figures apart (prepositions only name a slot).
_FILLER = (
    STOPWORDS | _CONNECTIVES | _PREPS | {"only", "just", "least", "about", "around", "roughly"}
)
# Words a label reads through to its figure: "size of 3", "LaBSE by at least 3.0%", "t = 0.35".
_PASS = frozenset("a an the of by to at =".split())
_LEFT_MAX, _RIGHT_MAX, _NOUN_MAX = 4, 12, 2


@dataclass(frozen=True)
class Binding:
    """A figure's own words: its phrase's content stems (``frame``) and its slots (``label``: the
    words just before it and the noun it counts; a preposition -> its phrase; ``resp``: the item
    "respectively" gives it; ``names``: the name-like words of all of them)."""

    frame: frozenset[str]
    slots: tuple[tuple[str, frozenset[str]], ...]

    def slot(self, name: str) -> frozenset[str] | None:
        return next((words for n, words in self.slots if n == name), None)


def _word(token: str) -> str:
    low = token.lower()
    return "" if low in _FILLER or not low[0].isalnum() else stem(low)


def _tokens(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[str, int]]:
    """(token, index of the figure it is) with -1 for words; a figure's span is one token and
    the word glued to it is one more ("12-layer" -> "12", "layer")."""
    out: list[tuple[str, int]] = []
    pos = 0
    for i, (a, b) in sorted(enumerate(spans), key=lambda s: s[1]):
        if a < pos:
            continue  # a figure inside another's span ("82 thousand")
        out += [(m.group(0), -1) for m in _TOKEN.finditer(text, pos, a)]
        out.append((text[a:b], i))
        pos = b
    out += [(m.group(0), -1) for m in _TOKEN.finditer(text, pos)]
    # A figure inside a name ("Llama 3.1 8B Instruct") is a word of it, not a figure
    for k in range(1, len(out) - 1):
        (before, _), (token, at), (after, _) = out[k - 1], out[k], out[k + 1]
        if at >= 0 and after[0].isupper() and (before[0].isupper() or before[0].isdigit()):
            out[k] = (token, -1)
    return out


def _stop(token: str, figure: int) -> bool:
    return figure >= 0 or token in _BREAKS or token.lower() in _CONNECTIVES


def _right_slots(toks: list[tuple[str, int]], at: int) -> dict[str, set[str]]:
    """The noun right after a figure ("30 answers") and the phrases of its prepositions, up to
    the next figure, punctuation or connective."""
    slots: dict[str, set[str]] = {"label": set()}
    current, taken = "label", 0
    for token, figure in toks[at + 1 : at + 1 + _RIGHT_MAX]:
        if _stop(token, figure):
            break
        low = token.lower()
        if low in _PREPS:
            current = low
            slots.setdefault(current, set())
            continue
        if current == "label":
            taken += 1
            if taken > _NOUN_MAX:
                continue
        if word := _word(token):
            slots[current].add(word)
    return slots


def _left_label(toks: list[tuple[str, int]], at: int) -> set[str]:
    """The words just before a figure ("Precision 67.28", "LaBSE by 0.9%", "size of 3"), up to a
    verb's helper ("our extended dataset has 10,908": the clause's subject is no label)."""
    out: set[str] = set()
    for token, figure in reversed(toks[max(0, at - _LEFT_MAX) : at]):
        low = token.lower()
        if _stop(token, figure) or (low in STOPWORDS and low not in _PASS):
            break
        if word := _word(token):
            out.add(word)
    return out


def _frames(toks: list[tuple[str, int]], figures: list[int]) -> list[frozenset[str]]:
    """Each figure's part of the sentence: from the break after the figure before it to the
    break before the figure after it (the last punctuation or connective between them, else
    halfway); the first figure's part starts the sentence, the last's ends it."""
    cuts = [0]
    for a, b in zip(figures, figures[1:], strict=False):
        between = [k for k in range(a + 1, b) if _stop(*toks[k])]
        cuts.append(between[-1] if between else (a + b + 1) // 2)
    cuts.append(len(toks))
    return [
        frozenset(w for t, f in toks[cuts[i] : cuts[i + 1]] if f < 0 and (w := _word(t)))
        for i in range(len(figures))
    ]


def _respectively(toks: list[tuple[str, int]], figures: list[int]) -> dict[int, set[str]]:
    """Figure index -> the item "respectively" gives it: "(4.7% and 15.5%, respectively) ...
    for Malagasy and Turkish", "kappa of 0.40 and 0.37 for Hindi and Tamil, respectively"."""
    lows = [t.lower() for t, _ in toks]
    if "respectively" not in lows:
        return {}
    end = lows.index("respectively")
    group = [f for f in figures if f < end][-4:]
    # the run of figures before "respectively", joined by commas and "and"
    while len(group) > 1 and any(
        not (_stop(*toks[k]) or toks[k][1] >= 0) for k in range(group[0] + 1, group[-1])
    ):
        group = group[1:]
    if len(group) < 2:
        return {}
    for items in _lists(toks, set(range(group[0], group[-1] + 1))):
        if len(items) == len(group):
            return {toks[f][1]: item for f, item in zip(group, items, strict=True)}
    return {}


def _lists(toks: list[tuple[str, int]], skip: set[int]) -> list[list[set[str]]]:
    """Lists of short items ("Malagasy and Turkish", "Hindi, Tamil and Bengali") outside the
    figures' run, nearest to it first."""
    found = []
    for k, (token, _) in enumerate(toks):
        if token.lower() != "and" or k in skip:
            continue
        after = _item(toks, k + 1, 1)
        items, j = [_item(toks, k - 1, -1)], k - 1 - len(_item_span(toks, k - 1, -1))
        while j >= 0 and toks[j][0] == ",":
            span = _item_span(toks, j - 1, -1)
            if not span:
                break
            items.insert(0, _item(toks, j - 1, -1))
            j -= 1 + len(span)
        if all(items) and after:
            found.append((min(abs(k - s) for s in skip), [*items, after]))
    return [items for _, items in sorted(found, key=lambda f: f[0])]


def _item_span(toks: list[tuple[str, int]], k: int, step: int) -> list[int]:
    """The tokens of a list item from ``k`` on (``step`` -1: backwards): up to three words, and
    a bracketed aside as part of it ("QA (Hindi-English) and SA (Tamil-English)")."""
    span, words = [], 0
    opening, closing = ("(", ")") if step > 0 else (")", "(")
    while 0 <= k < len(toks) and words < 3:
        token, figure = toks[k]
        if token == opening:
            inner = [j for j in range(k + step, k + 5 * step, step) if 0 <= j < len(toks)]
            end = next((j for j in inner if toks[j][0] == closing), None)
            if end is None or any(toks[j][1] >= 0 for j in range(k, end, step)):
                break
            span += list(range(k, end + step, step))
            k = end + step
            continue
        if _stop(token, figure) or token.lower() in STOPWORDS or token.lower() in _PREPS:
            break
        span.append(k)
        words += 1
        k += step
    return span


def _item(toks: list[tuple[str, int]], k: int, step: int) -> set[str]:
    return {w for i in _item_span(toks, k, step) if (w := _word(toks[i][0]))}


def _runs(toks: list[tuple[str, int]], figures: list[int]) -> list[list[int]]:
    """Figures listed together ("+6.0 and +4.1 BLEU", "4.7% and 15.5% absolute improvement"):
    nothing but commas and "and"/"or" between them."""
    runs = [[figures[0]]] if figures else []
    for a, b in zip(figures, figures[1:], strict=False):
        if all(toks[k][0].lower() in (",", "and", "or") for k in range(a + 1, b)):
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


@lru_cache(maxsize=4096)
def bindings(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[Binding, ...]:
    """One :class:`Binding` per figure (``spans``: each figure's characters in ``text``)."""
    toks = _tokens(text, spans)
    figures = [k for k, (_, f) in enumerate(toks) if f >= 0]
    frames = dict(zip(figures, _frames(toks, figures), strict=True))
    resp = _respectively(toks, figures)
    out = [Binding(frozenset(), ())] * len(spans)  # a figure inside a name or another figure
    for run in _runs(toks, figures):
        # listed together, the figures share the words before the first and after the last
        # ("averagely giving +6.0 and +4.1 BLEU"); "respectively" tells them apart
        slots = _right_slots(toks, run[-1])
        slots["label"] |= _left_label(toks, run[0])
        # the names among its words, wherever they stand: "OPUS declines 0.58" / "0.45 for TI"
        slots["names"] = set().union(*slots.values()) & name_words(text)
        for k in run:
            i = toks[k][1]
            own = {**slots, "resp": resp[i]} if i in resp else slots
            out[i] = Binding(frames[k], tuple((n, frozenset(w)) for n, w in own.items()))
    return tuple(out)


@lru_cache(maxsize=4096)
def name_words(text: str) -> frozenset[str]:
    """The stems of a sentence's name-like words: capitalised past the first word, or with a
    digit ("Malagasy", "Stage 2")."""
    toks = [m.group(0) for m in _TOKEN.finditer(text)]
    return frozenset(
        w for t in toks[1:] if (t[0].isupper() or any(ch.isdigit() for ch in t)) and (w := _word(t))
    )


def misbound(frame: frozenset[str], mine: Binding, other: Binding) -> bool:
    """Whether a claim figure's words (``frame``), which state the value of ``mine``, take the
    side of ``other`` (a parallel figure of the same sentence) in the slots the two fill
    differently: more of the words only ``other``'s slot holds than of those only ``mine``'s
    holds ("Stage 2" against "after Stage 1" / "after Stage 2")."""
    theirs = ours = 0
    for name, words in other.slots:
        own = mine.slot(name)
        if not own or not words:
            continue  # a slot one figure leaves empty shares the other's words ("of 4.7% for
            # Malagasy and 15.5% for Turkish": "improvements of" is said of both)
        theirs += len(frame & (words - own))
        ours += len(frame & (own - words))
    return theirs > ours
