"""Comparisons read off a paper's tables: "A beats B" against the two cells that hold A and B.

A claim such as "On Spanish question answering, training the most important 30% of heads beat
training a random 30% of heads" names two cells of one table: the same column (QA-es) in two
rows. No single sentence states it, so the sentence checks cannot; this module parses a paper's
table rows into cells (row label, column label, value), finds the two cells whose labels carry
the claim's two sides, and says whether their values go the way the claim says. The cells
are read by ``synth.tablecells``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from synth.comparisons import HARM_WORDS, LOWER_IS_BETTER, comparison_core
from synth.entities import LANGUAGES
from synth.numchecks import Quantity, decimal_places
from synth.search import stem
from synth.tablecells import (  # noqa: F401 (abbreviations, expand, table_cells: re-exported)
    Cell,
    abbreviations,
    expand,
    label_words,
    table_cells,
)

# Comparative words: the first side is greater (up) or smaller (down) than the second.
_UP_WORDS = frozenset(
    "beat beats outperform outperforms outperformed surpass surpasses surpassed exceed exceeds "
    "exceeded higher better more larger greater above ahead outscore outscores outscored outrank "
    "outranks outranked".split()
)
_DOWN_WORDS = frozenset(
    "lower worse less smaller below behind underperform underperforms underperformed trail "
    "trails trailed".split()
)
# Words that take the second side right after them ("A beat B", "A, well below B at 0.91").
_VERBS = frozenset(
    w for w in _UP_WORDS | _DOWN_WORDS if not w.endswith(("er", "ss", "ve", "ow"))
) | {"above", "below"}
# Metrics where lower is better: "better"/"beat" means a smaller value there.
_GOODNESS = frozenset({"better", "worse", "beat", "beats", "outperform", "outperforms",
                       "outperformed", "underperform", "underperforms", "underperformed"})  # fmt: skip
# "All of DeltaLM" (the whole model) ranges over no rows.
_EVERY = re.compile(r"\b(every|all|each)\b(?!\s+of\s+(?-i:[A-Z]))", re.I)
_NEGATORS = frozenset({"without", "no", "not", "excluding", "except"})
_PREPS = frozenset({"on", "in", "for", "at", "with"})
# A word of a side; a decimal point stays inside it, so a version ("Claude-2.1", "GPT-3.5")
# reads as the table label spells it, not as two numbers the label lacks.
_SIDE_TOKEN = re.compile(r"(?:[\w-]|(?<=\d)\.(?=\d))+|[,;]")


def comparison_sides(claim: str) -> tuple[frozenset[str], frozenset[str], int] | None:
    """(first side, second side, +1 / -1) of a comparative claim, or None.

    "X beat Y": X and Y around the verb; "did better on X than on Y": X between the comparative
    and "than" when a preposition introduces it; "X scored higher F1 than Y": X before it.
    """
    toks = _SIDE_TOKEN.findall(claim)
    low = [t.lower() for t in toks]
    at = next((i for i, t in enumerate(low) if t in _UP_WORDS or t in _DOWN_WORDS), None)
    if at is None:
        return None
    sign = 1 if low[at] in _UP_WORDS else -1
    if at and low[at] in ("more", "less") and low[at - 1] in HARM_WORDS:
        sign = -sign  # "hurts more than": the first side's score is the lower one
    words = label_words(claim)
    if words & LOWER_IS_BETTER and low[at] in _GOODNESS:
        sign = -sign
    if "than" in low[at + 1 :]:
        than = low.index("than", at + 1)
        mid = toks[at + 1 : than]
        first = mid if _PREPS & {t.lower() for t in mid} else toks[:at]
        second = toks[than + 1 :]
    elif low[at] in _VERBS:
        first, second = toks[:at], toks[at + 1 :]
    else:
        return None
    second = second[: second.index(",")] if "," in second else second
    return label_words(" ".join(first)), label_words(" ".join(second)), sign


def _negated(claim: str) -> frozenset[str]:
    toks = re.findall(r"[\w-]+", claim)
    return frozenset().union(
        *(label_words(toks[i + 1]) for i, t in enumerate(toks[:-1]) if t.lower() in _NEGATORS)
    )


def _by_initial(claim_words: frozenset[str]) -> dict[str, list[str]]:
    """The claim's words of three letters or more by first letter: a prefix of one word or the
    other shares its first letter, so each cell word is tried against those words only (every
    cell of a paper's tables is aligned, claim by claim)."""
    out: dict[str, list[str]] = {}
    for w in claim_words:
        if len(w) >= 3:
            out.setdefault(w[0], []).append(w)
    return out


def _aligned_cell(cell: Cell, initial: dict[str, list[str]]) -> Cell:
    """The cell with its shortened labels read as the claim's words ("imp" -> "important",
    "bertbase" -> "bert"): one is a prefix of the other, three letters at least (``initial``:
    the claim's words, :func:`_by_initial`)."""
    extra = {
        w
        for c in cell.words
        if len(c) >= 3
        for w in initial.get(c[0], ())
        if w != c and (w.startswith(c) or c.startswith(w))
    }
    return replace(cell, words=cell.words | extra) if extra else cell


def _core_words(claim: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The words nearest each side of the claim's comparative that the other side lacks, as
    table labels spell them (hyphenated words apart)."""
    core = comparison_core(claim)
    if not core:
        return None
    a, b = ({w for w in side if "-" not in w and " " not in w} for side in core)
    return frozenset(a - b), frozenset(b - a)


def _carries(words: frozenset[str], side: frozenset[str]) -> bool:
    # At least half of a side's own words: "languag" of "Natural Language Inference" is not
    # "low-resource languages".
    return not side or 2 * sum(_carried(w, words) for w in side) >= len(side)


def _carried(word: str, words: frozenset[str]) -> bool:
    """Whether a label's ``words`` carry one word of a side, as the sentence reader stems it:
    a hyphenated word is stemmed before it is split ("fine-tuned" -> "tun", "pivot-based" ->
    "bas"), and a name with digits is one word there ("E9D3", "qwen2") but its parts in a
    label."""
    if word in words:
        return True
    if len(word) >= 3 and any(len(c) >= 3 and c.startswith(word) for c in words):
        return True
    parts = label_words(word)
    if len(parts) < 2:
        return False
    # ... and a version's whole number its label's decimal ("qwen2" of "Qwen2.5-7B": 2.5)
    versions = _versions(words)
    return all(p in words or f"{p}." in versions for p in parts)


def _versions(words: frozenset[str]) -> set[str]:
    """The whole numbers of a label's decimals with their point ("2.5" -> "2.")."""
    return {w[: w.index(".") + 1] for w in words if "." in w}


@dataclass(frozen=True)
class _Sides:
    """What a comparative claim asks of two cells: the words only each side has, the claim's
    words, the words it negates, and the words nearest each side of its comparative."""

    a_only: frozenset[str]
    b_only: frozenset[str]
    words: frozenset[str]
    neg: frozenset[str]
    core: tuple[frozenset[str], frozenset[str]] | None


# A clause break before a second statement ("X beat Y on A, yet Y was ahead on B"; "...; B
# only catches up later"): the words after it name no cell of the first comparison.
_NEXT_CLAUSE = re.compile(r";|,\s+(?:yet|but|while|whereas|although|though)\b", re.I)
# A comparison of differences ("BAD-X's advantage over MAD-X is smaller on DP than on POS"):
# no two cells hold it, their values are the scores, not the gaps between them.
_DELTA = frozenset(
    "advantage advantages gain gains gap gaps margin margins lead improvement improvements "
    "difference differences drop drops".split()
)


# A rival word shares its stem's last letters ("lingual") and differs in a short prefix.
_RIVAL_STEM, _RIVAL_PREFIX = 6, 5
_LANGUAGE_STEMS = frozenset(stem(name.lower()) for name in LANGUAGES.values())
# The least score of a deciding pair: three words (less half a word for two tables' rows).
_MIN_SCORE = 2.5


def table_comparison(
    claim: str, cells: list[Cell], deciding: list[tuple[Cell, Cell]] | None = None
) -> tuple[float, float, float]:
    """(support, conflict, cover): whether the two cells that carry a comparative claim's sides
    go its way, and the share of the claim's words their labels carry. Cells pair up in one row
    or one column (:func:`_pair_score`); of the best pairs, those whose labels say the least
    the claim does not decide. (0, 0) when no pair scores at least 3, or when the best pairs
    share no label the claim names (another table's column; "Avg." reads as "averaged"). For
    "every"/"all" claims, each best pair must agree. ``deciding``, when given, receives the
    pairs of cells that decided (the verdict's rationale)."""
    claim = _first_statement(claim)
    sides = comparison_sides(claim)
    if not sides or not cells:
        return 0.0, 0.0, 0.0
    first, second, sign = sides
    # A language named only inside a compound ("English-centric", "Hindi-English") is no
    # column of that language ("en")
    drop = _compound_languages(claim)
    core = _core_words(claim)
    core = (core[0] - drop, core[1] - drop) if core else None
    ask = _Sides((first - second) - drop, (second - first) - drop, label_words(claim) - drop,
                 _negated(claim), core)  # fmt: skip
    if not ask.a_only or not ask.b_only or _compares_gaps(claim):
        return 0.0, 0.0, 0.0
    initial = _by_initial(ask.words)
    cells = [_aligned_cell(c, initial) for c in cells]
    a_cells = [c for c in cells if c.words & ask.a_only]
    b_cells = [c for c in cells if c.words & ask.b_only]
    best, pairs = _MIN_SCORE, []
    for ca in a_cells:
        for cb in b_cells:
            score = _pair_score(ca, cb, ask)
            if score is None or score < best:
                continue
            if score > best:
                best, pairs = score, []
            pairs.append((ca, cb))
    every = bool(_EVERY.search(claim))
    if not pairs:
        return 0.0, 0.0, 0.0
    words = ask.words
    pairs = pairs if every else _most_specific(pairs, words)
    # Two cells whose common label names nothing of the claim ("en" for a claim about xx-de,
    # "amh" for one about parameters) are some column of the table, not the one it speaks of
    # (an "every" claim ranges over the rows or columns by design).
    if not every and not any(ca.words & cb.words & words for ca, cb in pairs):
        return 0.0, 0.0, 0.0
    if deciding is not None:
        deciding.extend(pairs)
    agree = [(ca.value - cb.value) * sign > 0 for ca, cb in pairs]
    cover = len(words & (pairs[0][0].words | pairs[0][1].words)) / max(1, len(words))
    if every:
        return (1.0, 0.0, cover) if all(agree) else (0.0, 1.0, cover)
    share = sum(agree) / len(agree)
    if share == 0.5:
        return 0.0, 0.0, 0.0
    return (1.0, 0.0, cover) if share > 0.5 else (0.0, 1.0, cover)


def _compound_languages(claim: str) -> frozenset[str]:
    """Stems of the languages the claim names only inside a hyphenated word."""
    toks = re.findall(r"[A-Za-z][\w-]*", claim)
    alone = {stem(t.lower()) for t in toks if "-" not in t}
    inside = {stem(p.lower()) for t in toks if "-" in t for p in t.split("-") if p}
    return frozenset((inside - alone) & _LANGUAGE_STEMS)


def _first_statement(claim: str) -> str:
    """The claim up to a second statement after its comparison's clause."""
    m = _NEXT_CLAUSE.search(claim)
    if m and comparison_sides(claim[: m.start()]):
        return claim[: m.start()]
    return claim


def _compares_gaps(claim: str) -> bool:
    """Whether the claim compares differences: a gap word before its comparative."""
    toks = [t.lower() for t in re.findall(r"[\w-]+", claim)]
    at = next((i for i, t in enumerate(toks) if t in _UP_WORDS or t in _DOWN_WORDS), len(toks))
    return any(t.removesuffix("'s") in _DELTA for t in toks[:at])


def _pair_score(ca: Cell, cb: Cell, ask: _Sides) -> float | None:
    """How well two cells carry the claim's two sides, or None when they cannot. A pair scores
    the words only its own side states, plus the claim's words both cells share (the column
    "stemmed" of "on the stemmed data"), less any word the claim negates ("without Word2Vec")
    and any claim word one cell alone has outside its side (a condition the claim lists).
    Rows of two tables score a little less than rows of one: a table that holds both rows
    (relevance F1) is the one a claim speaks of, not a row of it against the next table's
    (event-type F1); a baseline's row in its own table still compares."""
    if (ca.row == cb.row) == (ca.col == cb.col):
        return None  # one row, two columns, or one column, two rows
    if not _same_group(ca, cb, ask.words):
        return None
    own_a, own_b = ca.words - cb.words, cb.words - ca.words
    if not (own_a & ask.a_only and own_b & ask.b_only):
        return None
    # Each cell must carry the words nearest its side of the comparative ("low-resource
    # languages ... than English"), not only topic words the whole claim shares ("pruning").
    core = ask.core
    if core and not (_carries(ca.words, core[0]) and _carries(cb.words, core[1])):
        return None
    if _rival(ca.words, ask.a_only, ask.words) or _rival(cb.words, ask.b_only, ask.words):
        return None
    # A label only one cell has that the claim names outside that cell's side is a condition
    # the claim lists ("ahead of MAD-X on POS, DP and NLI": an NLI row against a POS row
    # compares two of its tasks, not its sides).
    words = ask.words
    stray = len((own_a - ask.a_only) & (words - ask.b_only)) + len(
        (own_b - ask.b_only) & (words - ask.a_only)
    )
    return (
        len(own_a & ask.a_only) + len(own_b & ask.b_only) - len(own_a & ask.b_only)
        - len(own_b & ask.a_only) + len(ca.words & cb.words & words) - stray
        - 2 * len((ca.words | cb.words) & ask.neg)
        - 0.5 * (ca.table != cb.table and ca.row != cb.row)
    )  # fmt: skip


def _rival(cell: frozenset[str], side: frozenset[str], words: frozenset[str]) -> bool:
    """Whether a cell's label names a rival of a side's word: the same word with another short
    prefix ("multilingual" where the claim says "bilingual adapters", "monolingual" for
    "multilingual"), a different thing of the same kind, not the side."""
    for w in side - cell:
        for c in cell - words:
            n = len(os.path.commonprefix([w[::-1], c[::-1]]))
            if n >= _RIVAL_STEM and max(len(w), len(c)) - n <= _RIVAL_PREFIX and w != c:
                return True
    return False


def _same_group(ca: Cell, cb: Cell, words: frozenset[str]) -> bool:
    """Whether two rows may be compared: rows of one group ("POS: Method MAD-X", "POS: Method
    BAD-X"), or of two groups the claim names both of ("zero-shot" against "few-shot"); "POS
    ... MA" against "NLI ... MAD-X" compares two tasks, not the claim's two methods."""
    if ca.group == cb.group or ca.row == cb.row or not (ca.group and cb.group):
        return True
    ga, gb = label_words(ca.group), label_words(cb.group)
    return any(_carried(w, ga - gb) for w in words) and any(_carried(w, gb - ga) for w in words)


def _most_specific(
    pairs: list[tuple[Cell, Cell]], words: frozenset[str]
) -> list[tuple[Cell, Cell]]:
    """The pairs whose labels say the least the claim does not: of two tied pairs, "F1" is the
    column a claim about F1 speaks of, not "Religious Conflict F1"."""
    extra = [len((ca.words | cb.words) - words) for ca, cb in pairs]
    return [p for p, n in zip(pairs, extra, strict=True) if n == min(extra)]


def _scale(v: float) -> int:
    return 0 if abs(v) <= 1 else 1 if abs(v) <= 100 else 2


def table_numbers(
    claim: str, quantities: tuple[Quantity, ...], cells: list[Cell]
) -> tuple[float, float]:
    """(matched, conflicting) shares of the claim's numbers against the table cells whose row
    and column labels carry the most of the claim's words (three at least): "Random Forest on
    the lemmatized data without resampling reached an F1 of 0.67" against the row "Lemmatized
    (F1_Score), Random Forest: Simple 0.067, ..." conflicts. A number the labels themselves
    state ("30% of heads") is no value; a bound ("less than 20%") or a value of another scale
    (a count against a share) says nothing."""
    if not quantities or not cells:
        return 0.0, 0.0
    words = frozenset(w for w in label_words(claim) if not w[0].isdigit())
    initial = _by_initial(words)
    cells = [_aligned_cell(c, initial) for c in cells]
    overlap = [len(c.words & words) for c in cells]
    best = max(overlap)
    if best < 3:
        return 0.0, 0.0
    top = [c for c, n in zip(cells, overlap, strict=True) if n == best]
    labels = frozenset().union(*(c.words for c in top))
    matched = conflicting = 0
    tols = [0.5 * 10.0 ** -decimal_places(q.number.raw) + 1e-9 for q in quantities]
    # A claim that reads one figure off the cells it names reads the other side's off a cell in
    # line with them ("mBERT+DAP reaches 86.6, ahead of LaBSE's 85.9": LaBSE's row, the same
    # column): not a changed figure.
    read = top
    pairs = zip(quantities, tols, strict=True)
    if any(_holds(c, q.number.value, t) for q, t in pairs for c in top):
        read = top + [c for c in cells if any(_in_line(c, t) for t in top)]
    for q, tol in zip(quantities, tols, strict=True):
        n = q.number
        # A count in words ("all three subsets") is no figure a cell holds.
        if q.bound != "=" or n.raw.rstrip("%").replace(",", "") in labels or not _digits(n.raw):
            continue
        if any(_holds(c, n.value, tol) for c in read):
            matched += 1
        elif all(_scale(c.value) == _scale(n.value) for c in top) and not (
            _distinctive(n.raw) and any(_holds(c, n.value, tol) and c.words & words for c in cells)
        ):
            # a figure another cell on the claim's topic holds exactly was read off the table
            # (the labels chose the wrong cells), not changed
            conflicting += 1
    return matched / len(quantities), conflicting / len(quantities)


def _in_line(a: Cell, b: Cell) -> bool:
    """Two cells of one table in one row or one column."""
    return a.table == b.table and (a.row == b.row or a.col == b.col)


def _holds(cell: Cell, value: float, tol: float) -> bool:
    return abs(cell.value - value) <= tol or abs(cell.value * 100 - value) <= tol


def _digits(raw: str) -> bool:
    return any(ch.isdigit() for ch in raw)


def _distinctive(raw: str) -> bool:
    """Three significant digits or more ("68.47", "0.773"): a figure, not a round count."""
    return sum(ch.isdigit() for ch in raw.lstrip("0.")) >= 3


# A quantifier over rows: "every model", "all pairs", "each language", "any cheat code".
_ALL_ROWS = re.compile(r"\b(?:every|all|each|any)\b(?!\s+of\s+(?-i:[A-Z]))", re.I)
# A bound the quantified values meet: "exceeded an F1-score of 80%", "a kappa above 0.6", "at
# over 90 BLEU"; the words between the verb and the figure name the measure.
_BOUND = re.compile(
    r"\b(?P<dir>above|over|exceed(?:s|ed|ing)?|beyond|more than|greater than|higher than|"
    r"at least|below|under|less than|lower than|at most)\s+"
    r"(?:(?:an?|the)\s+[\w'-]+(?:\s+[\w'-]+)?\s+of\s+)?(?P<num>\d+(?:\.\d+)?)(?P<pct>\s*%)?",
    re.I,
)
# "Not all", "no model ... any", "all but one": a quantifier no single cell breaks.
_DENIED = re.compile(r"\b(?:not|no|never|none|nor|all but)\b|n't\b", re.I)
_BELOW = ("below", "under", "less", "lower", "at most")


def table_threshold(claim: str, cells: list[Cell]) -> tuple[float, float, float]:
    """(support, conflict, cover): a quantified bound ("every model tested exceeded an F1-score
    of 80%", "every pair of annotators reached a Cohen's kappa above 0.6") read against the
    cells it ranges over: the column(s) whose label carries the most of the claim's words, in
    the rows whose label carries the most of its words of any row label (the "X" of "every
    X"; every row when no row label names the claim). One cell on the wrong side of the bound
    breaks the quantifier; all of them, two at least, on its side bear it out. (0, 0, 0) when
    the claim has no quantifier or bound, or no column carries it."""
    m = _BOUND.search(claim)
    if not m or not _ALL_ROWS.search(claim) or _DENIED.search(claim) or not cells:
        return 0.0, 0.0, 0.0
    below = m.group("dir").lower().startswith(_BELOW)
    bound = float(m.group("num"))
    words = frozenset(w for w in label_words(claim) if not w[0].isdigit())
    initial = _by_initial(words)
    cells = [_aligned_cell(c, initial) for c in cells]
    col_words = {c.col: expand(label_words(c.col), {}) for c in cells}
    col_score = {col: len(ws & words) for col, ws in col_words.items()}
    best_col = max(col_score.values(), default=0)
    if best_col < 1:
        return 0.0, 0.0, 0.0
    chosen = [c for c in cells if col_score[c.col] == best_col]
    # The rows the quantifier ranges over: those whose own label carries the most claim words.
    row_score = [len((c.words - col_words[c.col]) & words) for c in chosen]
    best_row = max(row_score)
    chosen = [c for c, n in zip(chosen, row_score, strict=True) if n == best_row]
    # Values on the figure's scale ("80%" of "79.26", "0.6" of "0.598"), a percentage of a share.
    scale = [c.value * 100 if m.group("pct") and abs(c.value) <= 1 < bound else c.value
             for c in chosen]  # fmt: skip
    if len(chosen) < 2 or any(_scale(v) != _scale(bound) for v in scale):
        return 0.0, 0.0, 0.0
    broken = [v >= bound if below else v <= bound for v in scale]
    cover = len(words & frozenset().union(*(c.words for c in chosen))) / max(1, len(words))
    return (0.0, 1.0, cover) if any(broken) else (1.0, 0.0, cover)
