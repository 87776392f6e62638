"""Names in claims: name-like words, the slots they fill, and swaps the registries do not know.

A claim can swap a name for another of the same kind that no registry lists ("the Adam
optimizer" where the paper used SGD, "Arial" where it asked for Times Roman). The kinds are read
off the paper's own text: the content words that stand beside its names (``slot_index``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from synth.directions import opposites
from synth.entities import LANGUAGES, entity_spans, tag_entities
from synth.numchecks import stems
from synth.search import STOPWORDS, content_words

if TYPE_CHECKING:
    from synth.textchecks import SentenceFacts

_TOKEN = re.compile(r"[A-Za-z][\w-]*")
_NAME = re.compile(r"\b(?:[A-Z][\w-]*[A-Z0-9][\w-]*|[a-z]+[A-Z][\w-]*|[A-Z][a-z]+)\b")


# A name with its version's decimals ("GPT-3.5", "F0.5", "GPT-4.1": one name, not "GPT-3").
_NAME_TERM = re.compile(_NAME.pattern[:-2] + r"(?:\.\d[\w-]*)*\b")
# Lower-case words hyphened onto a name say what it is to the sentence, not which thing it is:
# "MeSH-based filtering", "BERT-style encoders", "an mBERT-sized model" name MeSH, BERT, mBERT.
_MODIFIER = re.compile(r"(?:-[a-z]{3,})+$")


def name_terms(text: str) -> frozenset[str]:
    """Name-like words (acronyms, CamelCase, capitalised words past the first), stemmed as
    content words: "SGD", "Adam", "RoBERTa", "A4", "Arial"; what an entity swap replaces. A
    version's decimals stay with the name ("GPT-3.5"); a lower-case modifier hyphened onto it
    goes ("MeSH-based" names "MeSH")."""
    out: set[str] = set()
    for m in _NAME_TERM.finditer(text):
        if m.start() == 0:
            continue
        raw = m.group(0)
        head = _MODIFIER.sub("", raw)
        out |= content_words(head if _NAME.fullmatch(head) else raw)
    return frozenset(out)


def name_slots(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each name-like word (as :func:`name_terms` finds them, stemmed) with the slot it fills: the
    nearest content word on either side within three words that is not a name ("the Adam
    optimizer" -> ("adam", {"optimizer", "train"})), which tells what kind of thing it names."""
    toks = [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
    is_name = [at > 0 and bool(_NAME.fullmatch(t)) for t, at in toks]
    out = []
    for i, (tok, _) in enumerate(toks):
        if not is_name[i] or len(tok) < 2:
            continue
        ctx = set()
        for side in (range(i - 1, max(-1, i - 4), -1), range(i + 1, min(len(toks), i + 4))):
            for j in side:
                if is_name[j]:
                    continue  # "Times Roman font": the slot is past the whole name
                found = [w for w in stems(toks[j][0], numbers=False) if len(w) > 1]
                if found:
                    ctx.update(found)
                    break
        out.extend((w, frozenset(ctx)) for w in content_words(tok))
    return out


# A slot beside more names than this is no kind ("model": BERT, mBERT, ...; "paper": ...).
_SLOT_MAX_NAMES = 3


def slot_index(texts: list[str]) -> dict[str, frozenset[str]]:
    """Context stem -> the names that stand beside it in ``texts`` (a paper's sentences): the
    kinds of things the paper names ("optimizer" -> {"sgd"}, "font" -> {"times", "roman"}).
    Context words beside many names say nothing of a kind and are left out."""
    out: dict[str, set[str]] = {}
    for text in texts:
        for name, ctx in name_slots(text):
            for w in ctx:
                out.setdefault(w, set()).add(name)
    return {w: frozenset(v) for w, v in out.items() if len(v) <= _SLOT_MAX_NAMES}


def _joined(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


def name_variant(a: str, b: str) -> bool:
    """Whether two different names are variants of one name, not two things of a kind: one's
    words are a subset of the other's ("XLM-R" / "XLM-R Large") or, run together, one is the
    other with a prefix or suffix of two letters or more ("TyDi QA" / "XOR TyDi QA", "mBERT" /
    "mBERT-base", "QA" / "TyDiQA"). A one-letter affix makes another thing ("BERT" / "mBERT",
    "NLI" / "XNLI", "XLM" / "XLM-R"); "XLM-R Base" / "XLM-R Large" are two of a kind."""
    ja, jb = _joined(a), _joined(b)
    if a == b or not ja or not jb:
        return False
    wa, wb = set(a.lower().split()), set(b.lower().split())
    if wa < wb or wb < wa or ja == jb:
        return True
    short, long_ = sorted((ja, jb), key=len)
    return len(long_) - len(short) >= 2 and (long_.startswith(short) or long_.endswith(short))


# A run of capitalised words ("Kullback-Leibler Divergence", "Neural Machine Translation"),
# joined by single spaces or hyphens, whose initials a claim may write for it.
_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+")
# Two names in a row that a claim may write run together ("Trivia QA": "TriviaQA").
_NAME_PAIR = re.compile(r"(?<![\w-])([A-Z][A-Za-z]*)[ -]([A-Z][A-Za-z]*)(?![\w-])")
# A run of language codes (a table's header or row: "| de | es | fr", "NLI-es QA-en"): codes
# standing alone, three or more of them in one sentence.
_CODE = re.compile(r"(?<![A-Za-z])[a-z]{2,3}(?![A-Za-z])")
_CODE_RUN = 3
# A code hyphened onto an acronym names the language of its task or set ("NLI-es", "QA-en").
_TAGGED_CODE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]+-([a-z]{2,3})(?![\w-])")


def paper_aliases(texts: Iterable[str]) -> frozenset[str]:
    """Names a paper writes in a way its claims may not, as the stems a claim would use: the
    languages it names by code ("Spanish" in a paper that writes "NLI-es", "zh-en"), the
    initials of its runs of capitalised words ("KL" for "Kullback-Leibler", "NMT" for "Neural
    Machine Translation"), and two names in a row run together ("TriviaQA" for "Trivia QA")."""
    out: set[str] = set()
    for text in texts:
        codes = set(tag_entities(text).get("languages", ()))
        found = {c for c in _CODE.findall(text) if c in LANGUAGES}
        if len(found) >= _CODE_RUN:
            codes |= found
        codes |= {c for c in _TAGGED_CODE.findall(text) if c in LANGUAGES}
        for code in codes:
            out |= content_words(LANGUAGES[code])
        for m in _CAPITALISED_RUN.finditer(text):
            words = [w for w in re.split(r"[ -]", m.group(0)) if w.lower() not in STOPWORDS]
            for n in range(2, 5):
                for i in range(len(words) - n + 1):
                    out.add("".join(w[0] for w in words[i : i + n]).lower())
        for m in _NAME_PAIR.finditer(text):
            out |= content_words(m.group(1) + m.group(2))
    return frozenset(out)


def paper_uses(
    name: str, paper_words: frozenset[str], aliases: frozenset[str] = frozenset()
) -> bool:
    """Whether a paper's words (stemmed) hold a name-like word of a claim or a variant of it
    (:func:`name_variant`): "nllb-1" (the claim's "NLLB-1.3B", cut at the point) in a paper
    saying "nllb-1.3b", "towerinstruct" against "towerinstruct-v0.1", "e12d" (of "24E12D")
    against "24e12d", "belarusian-english" in a paper using both words, "english-to-chines" in
    one using "English" and "Chinese". ``aliases`` (:func:`paper_aliases`): the names the paper
    writes another way ("kl" for its "Kullback-Leibler")."""
    if name in paper_words or name in aliases:
        return True
    # Each part a word of its own ("XTREME-R" is not "XTREME" and "R"; "to" of "English-to-
    # Chinese" is none).
    parts = [p for p in name.split("-") if p not in STOPWORDS]
    if (
        "-" in name
        and parts
        and all(len(p) >= 3 and (p in paper_words or p in aliases) for p in parts)
    ):
        return True
    if len(name) < 3 or name not in _word_blob(paper_words):  # one C-level search first
        return False
    return any(name in w and name_variant(name, w) for w in paper_words)


@lru_cache(maxsize=64)
def _word_blob(words: frozenset[str]) -> str:
    """A paper's words on one line each (a frozenset keeps its hash: the lookup is cheap)."""
    return "\n".join(words)


def slot_swap(
    claim: SentenceFacts,
    paper_words: frozenset[str],
    slots: dict[str, frozenset[str]],
    aliases: frozenset[str] = frozenset(),
) -> float:
    """1.0 when the claim names something its evidence's paper never uses, in a slot where the
    paper names something else: "trained with the Adam optimizer" against a paper that only
    says "the SGD optimizer"; "Arial as the font" against "Times Roman font". Entity swaps
    outside the registries, with the kinds learnt from the paper's own text."""
    pairs = name_slots(claim.text)
    names = {n for n, _ in pairs}
    # Names the registries know are the entity checks' business ("Spanish" is "es" in a table).
    known = {
        w
        for vals in claim.entities.values()
        for v in vals
        for w in content_words(LANGUAGES.get(v, v))
    }
    for name, ctx in pairs:
        if name in known or paper_uses(name, paper_words, aliases):
            continue
        if any(slots.get(w, frozenset()) - names for w in ctx):
            return 1.0
    return 0.0


# Clause breaks between a number and the name it is said of.
_CLAUSE = re.compile(r"[,;:()]|\b(?:and|while|whereas|versus|vs\.?|but)\b")
# Measured values (a decimal or a percentage), not counts or digits of names ("Gemma 2 9B").
_NUMBER_AT = re.compile(r"(?<![\w.\-–])\d+(?:\.\d+%?|%)(?![\w.])")


def number_names(text: str) -> dict[str, str]:
    """Each measured value (as written, "0.58", "60%") -> the name nearest it in its clause
    ("corrected OPUS declines 0.58 COMET" -> OPUS; "0.45 for TI" -> TI), metric names left
    out; numbers with no name in their clause, or stated twice, are left out."""
    metrics = [(a, b) for a, b, _ in entity_spans("metrics", text)]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for m in _NUMBER_AT.finditer(text):
        start = max((b.end() for b in _CLAUSE.finditer(text, 0, m.start())), default=0)
        nxt = _CLAUSE.search(text, m.end())
        end = nxt.start() if nxt else len(text)
        best = None
        for n in _BOUND_NAME.finditer(text, start, end):
            if any(a <= n.start() < b for a, b in metrics) or n.group(0) in _NOT_NAMES:
                continue
            if 0 <= n.start() - m.end() <= 1:
                continue  # "0.58 COMET", "72.4 UAS": the number's measure, not what it is of
            dist = m.start() - n.end() if n.end() <= m.start() else n.start() - m.end()
            if dist >= 0 and (best is None or dist < best[0]):
                best = (dist, n.group(0).lower())
        key = m.group(0).rstrip("%")
        if key in seen:
            out.pop(key, None)
        seen.add(key)
        if best:
            out[key] = best[1]
    return out


# Names a number is said of: acronyms and CamelCase anywhere, capitalised words past the first.
_BOUND_NAME = re.compile(r"\b(?:[A-Z][\w-]*[A-Z0-9][\w-]*|[a-z]+[A-Z][\w-]*|(?<=\s)[A-Z][a-z]+)\b")
_NOT_NAMES = frozenset("Table Tables Figure Fig Section Appendix The In For On With We Our".split())


def binding_swap(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when a value the claim says of X the evidence says of Y, and says another value of X
    ("0.45 COMET for OPUS and 0.58 for TowerInstruct" against "corrected OPUS declines 0.58
    COMET, versus only 0.45 for TI"): the same numbers, the names swapped."""
    mine, theirs = number_names(claim.text), number_names(evidence.text)
    for value, name in mine.items():
        other = theirs.get(value)
        if other and other != name and any(n == name for v, n in theirs.items() if v != value):
            return 1.0
    return 0.0


def local_swap(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when a sentence names, where the claim names X, another thing of X's kind and not X:
    "the highest improvement of 6.67% is observed for Wixarika" against the claim's "6.67
    points ... for Aymara". Unlike the entity checks, a name the paper uses elsewhere counts.
    The kind is a registry's (one language for another, one model for another) or the content
    word beside both names ("observed for X", as :func:`name_slots` reads it). Also 1.0 when
    the sentence says the claim's values of other names (:func:`binding_swap`)."""
    if binding_swap(claim, evidence):
        return 1.0
    for kind in ("tasks", "models", "datasets", "languages"):
        c, e = set(claim.entities.get(kind, ())), set(evidence.entities.get(kind, ()))
        if len(c - e) == 1 and len(e - c) == 1:
            return 1.0
    slots = name_slots(claim.text)
    mine = [(n, ctx) for n, ctx in slots if n not in evidence.stems]
    if not mine:
        return 0.0
    names = {n for n, _ in slots} | claim.stems
    theirs = [(n, ctx) for n, ctx in name_slots(evidence.text) if n not in names]
    return float(any(c & e for _, c in mine for _, e in theirs))


# === Swapped roles and substituted names in a sentence the claim copies ==========================
# A claim written from one sentence keeps most of its words in order; what it changes shows in an
# alignment of the two (the longest common subsequence of their content stems).
_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_NAMELIKE = re.compile(r"[A-Z][\w.-]*[A-Z0-9][\w.-]*|[a-z]+[A-Z][\w.-]*|[A-Z][a-z]+")
# Plain opposites that trade places in a swapped pair ("25 for large models and 12 for small").
_ROLE_OPPOSITES = frozenset(
    frozenset(p.split(":"))
    for p in "large:small high:low long:short many:few easy:hard good:bad strong:weak best:worst"
    " better:worse higher:lower larger:smaller more:less most:least help:hurt helps:hurts"
    " improves:hurts improve:hurt increase:decrease increases:decreases positive:negative".split()
)
# Words of a symmetric relation: "A is comparable to B" is "B is comparable to A".
_SYMMETRIC = frozenset(
    "comparable comparably similar similarly same equal equally correlate correlated correlation"
    " between"
    " versus vs differ difference match matched alike tie tied par".split()
)
_PASSIVE = re.compile(r"\b\w+(?:ed|en)\s+by\b", re.I)
_ALIGNED_SHARE = 0.5  # of the claim's words the sentence must carry, in order, after the swap


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[tuple[str, str, bool], ...]:
    """(stem, word as written, name-like) for each content word of ``text``, in order."""
    from synth.search import STOPWORDS, stem

    out = []
    for m in _WORD.finditer(text.lower()):
        if m.group(0) in STOPWORDS and not opposites(m.group(0)):  # "more", "most" stay
            continue
        raw = text[m.start() : m.end()]
        # "GPT-3.5", "Llama-2" are names; "10K", "2e-5" are numbers.
        versioned = raw[0].isalpha() and any(c.isdigit() for c in raw)
        # A capitalised word opening the sentence is no name; an acronym there is ("DAMP").
        shaped = bool(_NAMELIKE.fullmatch(raw)) and (m.start() > 0 or not raw[1:].islower())
        named = versioned or shaped
        out.append((stem(m.group(0)), raw, named))
    return tuple(out)


def _masks(b: Sequence[str]) -> dict[str, int]:
    """Each item of ``b`` with the bit set at every position that holds it."""
    out: dict[str, int] = {}
    for j, y in enumerate(b):
        out[y] = out.get(y, 0) | (1 << j)
    return out


def _lcs_rows(a: Sequence[str], masks: dict[str, int], m: int) -> list[int]:
    """The LCS table of ``a`` against the ``m`` items ``masks`` encodes, a row per prefix of ``a``
    as a bit vector (Crochemore et al.'s bit-parallel LCS): row ``k`` has a 0 at bit ``t`` when
    ``LCS(a[:k], b[:t + 1])`` exceeds ``LCS(a[:k], b[:t])``, so the LCS of ``a[:k]`` and ``b[:t]``
    is the count of 0 bits below bit ``t``. Exact: the dynamic programme's values, a row in a
    few integer operations instead of ``m`` steps."""
    full = (1 << m) - 1
    v, rows = full, [full]
    for x in a:
        u = v & masks.get(x, 0)
        v = ((v + u) | (v - u)) & full
        rows.append(v)
    return rows


def _lcs(a: Sequence[str], b: Sequence[str], masks: dict[str, int] | None = None) -> int:
    """Length of the longest common subsequence of ``a`` and ``b`` (``masks``: ``_masks(b)``)."""
    m = len(b)
    return m - _lcs_rows(a, _masks(b) if masks is None else masks, m)[-1].bit_count()


def _initials(raw: str) -> str:
    return "".join(p[0] for p in re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", raw)).lower()


def same_name(a: str, b: str) -> bool:
    """Whether two names as written may name one thing: equal run together, one inside the
    other ("E-T5" / "T5"), variants (:func:`name_variant`), or one the initials of the other
    ("TI" / "TowerInstruct", "HR" / "HipoRank")."""
    ja, jb = _joined(a), _joined(b)
    if not ja or not jb:
        return False
    return ja in jb or jb in ja or name_variant(a, b) or _initials(a) == jb or _initials(b) == ja


@lru_cache(maxsize=4096)
def _canonical(claim: tuple, evidence: tuple) -> tuple[str, ...]:
    """The evidence's stems, each name the claim writes another way ("TI" for its
    "TowerInstruct") replaced by the claim's stem. Memoized: the checks read one claim against
    one sentence several times (role swap, slot substitution, aligned opposite)."""
    names = [(s, raw) for s, raw, is_name in claim if is_name]
    out = []
    for s, raw, is_name in evidence:
        if is_name and not any(s == c for c, _ in names):
            s = next((c for c, r in names if len(_joined(r)) > 1 and same_name(r, raw)), s)
        out.append(s)
    return tuple(out)


_OPPOSITE_WORDS = frozenset().union(*_ROLE_OPPOSITES)


def role_swap(claim: str, evidence: str) -> float:
    """1.0 when the sentence says what the claim says with two of its names (or two opposites)
    trading places: "EMERSON and DO ~20% ... while ASICS has 60%" against the paper's "ASICS and
    DO ~20% ... while EMERSON has 60%"; "25 for large models and 12 for small models" against
    "25 for small models and 12 for large models". Swapping the two back must line up at least
    two more of the claim's words with the sentence, and then most of them; a symmetric relation
    between the two ("comparable to") is no swap."""
    # "B is outperformed by A" says "A outperforms B" in the other order.
    if bool(_PASSIVE.search(claim)) != bool(_PASSIVE.search(evidence)):
        return 0.0
    cw, ew = _words(claim), _words(evidence)
    cs, es = [w[0] for w in cw], _canonical(cw, ew)
    shared = set(es)
    at = [i for i, w in enumerate(cs) if w in shared and not w[0].isdigit()]
    # Words that can trade roles: two names, or two opposites (words of an opposite pair only).
    lower = [w[1].lower() if w[1].lower() in _OPPOSITE_WORDS else "" for w in cw]
    pairs = [
        (i, j)
        for n, i in enumerate(at)
        for j in at[n + 1 :]
        if cs[i] != cs[j]
        and (
            (cw[i][2] and cw[j][2])
            or (lower[i] and lower[j] and frozenset((lower[i], lower[j])) in _ROLE_OPPOSITES)
        )
    ]
    if not pairs:
        return 0.0
    masks = _masks(es)
    base = _lcs(cs, es, masks)
    # Two items trading places move the LCS by two at most: the swap must gain exactly two.
    if base + 2 < _ALIGNED_SHARE * len(cs):
        return 0.0
    for i, j in pairs:
        if {w[1].lower() for w in cw[i + 1 : j]} & _SYMMETRIC:
            continue
        swapped = list(cs)
        swapped[i], swapped[j] = cs[j], cs[i]
        new = _lcs(swapped, es, masks)
        if new - base >= 2 and new >= _ALIGNED_SHARE * len(cs):
            return 1.0
    return 0.0


def _alignment(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of one longest common subsequence of ``a`` and ``b``: matched items taken
    first, else a step past the item of ``a`` when that keeps the LCS of what remains (the
    suffix table read off bit-parallel rows of the reversed sequences: ``_lcs_rows``)."""
    n, m = len(a), len(b)
    rows = _lcs_rows(a[::-1], _masks(b[::-1]), m)

    def rest(i: int, j: int) -> int:  # LCS(a[i:], b[j:])
        w = m - j
        return w - (rows[n - i] & ((1 << w) - 1)).bit_count()

    out, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif rest(i + 1, j) >= rest(i, j + 1):
            i += 1
        else:
            j += 1
    return out


# The words between two aligned words on each side (a slot) hold at most this many.
_SLOT_WIDTH = 3


def _strong(word: tuple[str, str, bool]) -> bool:
    """A name no plain capitalised word is ("GPT-3.5", "TI", "mBERT"; not "Target", "Asian")."""
    return word[2] and not word[1][1:].islower()


def slot_substitution(claim: str, evidence: str) -> float:
    """1.0 when the sentence carries the claim's words in order but, between the same two words,
    names another thing: "on clean FLORES data GPT-3.5 records the highest COMET for all eight
    language pairs" against "on clean data, TI records the highest COMET ...". A name the
    sentence writes another way (initials, a variant) or names elsewhere is no substitution."""
    cw, ew = _words(claim), _words(evidence)
    if not any(w[2] for w in cw):
        return 0.0
    cs, es = [w[0] for w in cw], _canonical(cw, ew)
    pairs = _alignment(cs, es)
    if len(pairs) < max(3, _ALIGNED_SHARE * len(cs)):
        return 0.0
    mine, theirs = set(cs), set(es)
    for (i0, j0), (i1, j1) in zip(pairs, pairs[1:], strict=False):
        if not (1 <= i1 - i0 - 1 <= _SLOT_WIDTH and 1 <= j1 - j0 - 1 <= _SLOT_WIDTH):
            continue
        xs = [cw[k][1] for k in range(i0 + 1, i1) if _strong(cw[k]) and cs[k] not in theirs]
        ys = [ew[k][1] for k in range(j0 + 1, j1) if _strong(ew[k]) and es[k] not in mine]
        if not xs or not ys:
            continue
        if any(same_name(x, w[1]) for x in xs for w in ew if w[2]):
            continue
        if any(same_name(y, w[1]) for y in ys for w in cw if w[2]):
            continue
        return 1.0
    return 0.0


def aligned_opposite(claim: str, evidence: str) -> float:
    """1.0 when the sentence carries the claim's words in order with, between the same two
    words, the opposite of one of the claim's: "Michel et al. (2019) pruned the most important
    heads" against "Michel et al. (2019), which pruned the least important attention heads ...
    thus we prune the most important heads" (the claim's words said of another subject later in
    the sentence, which a check of words one sentence lacks misses)."""
    cw, ew = _words(claim), _words(evidence)
    cs, es = [w[0] for w in cw], _canonical(cw, ew)
    pairs = _alignment(cs, es)
    if len(pairs) < max(3, _ALIGNED_SHARE * len(cs)):
        return 0.0
    for (i0, j0), (i1, j1) in zip(pairs, pairs[1:], strict=False):
        if not (1 <= i1 - i0 - 1 <= _SLOT_WIDTH and 1 <= j1 - j0 - 1 <= _SLOT_WIDTH):
            continue
        theirs = {w[1].lower() for w in ew[j0 + 1 : j1]}
        if any(opposites(w[1]) & theirs for w in cw[i0 + 1 : i1]):
            return 1.0
    return 0.0
