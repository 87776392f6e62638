"""A swapped name read against the whole paper: the sentence that states the claim's frame (the
claim minus one of its names) and the other name it puts in that slot.

An entity swap restates something the paper says with another name in one slot ("Swahili was
picked as the second language ..." against "Turkish was selected as the second language ...").
A claim that merely names something the paper never discusses has no such sentence: no sentence
carries the rest of its words in order, or the one that does names nothing else where the claim
names its thing. Retrieval often misses the frame sentence (its best match shares the topic, not
the slot), so the paper's sentences are searched here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache

from synth.entities import entity_spans
from synth.namechecks import _alignment, _canonical, _words, paper_uses, same_name
from synth.records import Sentence
from synth.search import EVIDENCE_KINDS_SKIPPED, content_words

# Registry kinds whose names count as names wherever they stand ("Turkish was selected ...").
_KINDS = ("languages", "models", "datasets")
# Capitalised words that point into the paper rather than name a thing of a kind.
_POINTERS = frozenset(
    "Table Tables Figure Fig Figures Section Sections Appendix Eq Equation".split()
)
# A slot holds at most this many words on either side (the name and a word or two around it).
_SLOT_WIDTH = 4
# The frame sentence must carry at least this share of the claim's other words, in order ...
_FRAME_SHARE = 0.5
# ... and at least this many of them.
_FRAME_MIN = 3
# A sentence carrying this share of the claim's words, names and all, states the claim itself.
_STATED_SHARE = 0.8
# Sentences sharing the most words with the claim that are aligned (the frame is among them).
_CANDIDATES = 12
# Before a capitalised word: another of a title's run ("Manual Data Collection"; a sentence's
# opening "For" or "The" is none) or an opening parenthesis ("(Clark, 2022)").
_TITLE_OR_CITE_BEFORE = re.compile(
    r"(?:(?<![\w-])(?!(?:For|In|On|The|A|An|And|Of|To|With|By|At|From|As)\s)[A-Z][\w-]*|\()\s*$"
)
# After it: another capital, "et al." or a year (an author cited).
_TITLE_OR_CITE_AFTER = re.compile(r"\s*(?:[A-Z]|et al\b|,?\s*\(?\d{4})")

# Head nouns typing a name's slot ("the Adam optimizer"), as stems. Not "dataset", "benchmark"
# or "corpus": a claim about a result the paper never reports names an unseen benchmark where
# the paper names its own ("improves QA on the XQuAD benchmark"). Not "model" or "language"
# either: too many names stand near one ("a substitution model trained on the CHNLS split";
# "models such as GPT-2"), and the paper's related work names many others.
_HEADS = frozenset("optimizer encoder decoder tokenizer backbon scheduler".split())
# A typed slot's head stands this many content words from its name, at most.
_HEAD_WINDOW = 2
# The sentence filling the slot shares at least this many of the claim's other words.
_TYPED_SHARED = 1
# A name turned adjective ("XLM-R-based", "mBERT-sized") qualifies a thing, it names none.
NAME_AS_ADJECTIVE = re.compile(r"-[a-z]{3,}$")

# A thing's source: "assembled from Wikipedia articles", "six languages from MLQA". Unlike "on
# XQuAD" (a result the paper may never report: not enough info), a source is the paper's own.
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?([A-Z][\w.-]*\w)")
# The sentence naming another source shares at least this share of the claim's other words.
_SOURCE_SHARE = 0.5
_SOURCE_MIN = 2

Word = tuple[str, str, bool]


@lru_cache(maxsize=1 << 15)
def slot_words(text: str) -> tuple[Word, ...]:
    """(stem, word, is a name) for each content word of ``text``, where a name is an acronym,
    a CamelCase or versioned word ("GPT-3.5"), a registry's language, model or dataset (even
    opening the sentence: "Turkish was selected"), or a capitalised word standing alone ("observed
    for Wixarika"; not one of a title's run of capitals, nor an author cited: "Clark et al.")."""
    spans = [(a, b) for kind in _KINDS for a, b, _ in entity_spans(kind, text)]
    out, pos = [], 0
    for stem, raw, shaped in _words(text):
        at = text.find(raw, pos)
        pos = at + len(raw) if at >= 0 else pos
        named = shaped and not raw[1:].islower()  # "SGD", "mBERT", "GPT-3.5"
        before = text[:at].rstrip() if at > 0 else ""
        # A capital opening the text, a caption's or a clause's text ("Table 4: Accuracy for")
        # is the sentence's, not a name's.
        opens = not before or before[-1] in ":.;-•"
        if shaped and not named and not opens:  # a plain capitalised word
            named = not (
                _TITLE_OR_CITE_BEFORE.search(text, 0, at)
                or _TITLE_OR_CITE_AFTER.match(text, at + len(raw))
            )
        if at > 0 and text[at - 1] in "'\"‘“":
            named = False  # a quoted label ('True', "Human"), not a thing of a kind
        registry = at >= 0 and raw[0].isupper() and any(a <= at < b for a, b in spans)
        out.append((stem, raw, (named or registry) and raw not in _POINTERS))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def stem_set(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def _filler(
    claim: tuple[Word, ...], sentence: tuple[Word, ...], unused: Collection[str] = ()
) -> tuple[str, str] | None:
    """(claim's name, the sentence's) when the sentence carries the claim's other words in order
    and, in the slot between the same two aligned words, names another thing. With ``unused``
    (the one claim name its paper never uses), only that name may be the swapped one."""
    cs = [w[0] for w in claim]
    es = _canonical(claim, sentence)  # "TI" in the sentence for the claim's "TowerInstruct"
    mine, theirs = set(cs), set(es)
    absent = [k for k, w in enumerate(claim) if w[2] and cs[k] not in theirs]
    pairs = _alignment(cs, es)
    if not absent or len(pairs) < max(_FRAME_MIN, _FRAME_SHARE * (len(cs) - len(absent))):
        return None
    bounds = [(-1, -1), *pairs, (len(cs), len(es))]  # the sentence's ends bound a slot too
    for k in absent:
        if unused and cs[k] not in unused:
            continue  # a name the paper never uses is the one swapped in
        n = max(b for b, (i, _) in enumerate(bounds) if i < k)
        (i0, j0), (i1, j1) = bounds[n], bounds[n + 1]
        if i1 - i0 - 1 > _SLOT_WIDTH or j1 - j0 - 1 > _SLOT_WIDTH:
            continue
        for j in range(j0 + 1, j1):
            word = sentence[j]
            if not word[2] or es[j] in mine:
                continue
            if any(same_name(word[1], w[1]) for w in claim if w[2]):
                continue  # the claim's name written another way ("TI" / "TowerInstruct")
            return claim[k][1], word[1]
    return None


def _states(claim: tuple[Word, ...], sentence: tuple[Word, ...]) -> bool:
    """Whether the sentence carries the claim's words in order with every one of its names:
    the claim as the paper says it (another sentence's other name in the slot is then a list or
    a second finding, not a swap)."""
    cs = [w[0] for w in claim]
    es = _canonical(claim, sentence)
    theirs = set(es)
    if any(w[2] and cs[k] not in theirs for k, w in enumerate(claim)):
        return False
    return len(_alignment(cs, es)) >= max(_FRAME_MIN, _STATED_SHARE * len(cs))


def frame_swap(claim: str, sentences: Sequence[str]) -> tuple[str, str, str] | None:
    """(claim's name, the paper's name in its slot, the frame sentence) when one of the paper's
    ``sentences`` states what the claim states with another name where the claim names its
    thing: "Swahili was picked as the second language to test the model on an agglutinative
    language" against "Turkish was selected as the second language to evaluate ... on an
    agglutinative language"; "... 6.67 points, is observed for Aymara" against "The highest
    improvement of 6.67% is observed for Wixarika". None when no sentence carries the claim's
    other words, in order, around the slot (a claim about something the paper never discusses).
    """
    cw = slot_words(claim)
    if not any(w[2] for w in cw):
        return None
    words = {w[0] for w in cw}
    stems = [stem_set(t) for t in sentences]
    # The claim's other names are the paper's own: a claim naming two things the paper never
    # names is about something else (another paper's "run on a single A100 GPU").
    unused = {cw[k][0] for k in _unused_names(cw, sentences)}
    if len(unused) > 1:
        return None
    shared = [(len(words & s), t) for s, t in zip(stems, sentences, strict=True)]
    ranked = sorted((p for p in shared if p[0] >= _FRAME_MIN), key=lambda p: -p[0])
    top = [(slot_words(text), text) for _, text in ranked[:_CANDIDATES]]
    if any(_states(cw, words) for words, _ in top):
        return None  # the paper says the claim as written
    for words, text in top:
        found = _filler(cw, words, unused)
        if found:
            return found[0], found[1], text
    return None


def _near(n: int, k: int) -> range:
    return range(max(0, k - _HEAD_WINDOW), min(n, k + _HEAD_WINDOW + 1))


def _registered(word: str) -> bool:
    """Whether a registry names ``word`` alone as a model, language or dataset."""
    return any(entity_spans(kind, word) for kind in _KINDS)


def _is_language(word: str) -> bool:
    return bool(entity_spans("languages", word))


def _typed_filler(
    heads: frozenset[str], cw: tuple[Word, ...], words: tuple[Word, ...], language: bool
) -> str | None:
    """The sentence's name next to one of the claim's ``heads`` that is none of the claim's."""
    mine = {w[0] for w in cw}
    for j, head in enumerate(words):
        if head[0] not in heads:
            continue
        for i in _near(len(words), j):
            stem, raw, named = words[i]
            if not named or i == j or stem in mine or NAME_AS_ADJECTIVE.search(raw):
                continue
            if any(same_name(raw, w[1]) for w in cw if w[2]):
                continue  # the claim's name written another way
            # Beside another name it is part of a longer one ("BERT Base", "XOR TyDi QA"), no
            # filler, unless a registry names it alone ("WMT21 German English dataset").
            beside = any(words[x][2] for x in (i - 1, i + 1) if 0 <= x < len(words))
            if beside and not _registered(raw):
                continue
            # A language fills a language's slot only ("an English-Hausa tokenizer" / "a
            # German-English tokenizer"); a language beside an encoder says what it reads.
            if _is_language(raw) != language:
                continue
            return raw
    return None


def typed_swap(claim: str, sentences: Sequence[str]) -> tuple[str, str, str] | None:
    """(claim's name, the paper's, its sentence) when the claim names its thing by a typed slot
    the paper fills with another name: "trained with the Adam optimizer" against "Utilizing the
    SGD optimizer, we ... training". The frame is paraphrased (no in-order alignment), so the
    slot's head noun ("optimizer", "encoder", "tokenizer") types it instead, and the claim's name
    must be one the paper never uses: a claim about something the paper never discusses names
    no head the paper fills, or shares none of its other words with the sentence filling it.
    """
    cw = slot_words(claim)
    if not any(w[0] in _HEADS for w in cw):
        return None  # no typed slot: the common case, before reading the paper
    unused = _unused_names(cw, sentences)
    if len(unused) != 1:
        return None  # two unknown names: another paper's claim, not a swap
    k = unused[0]
    name = cw[k][1]
    if NAME_AS_ADJECTIVE.search(name) or re.search(re.escape(name) + r"\s+[A-Z]{2}", claim):
        return None  # "XLM-R-based" or part of a longer name ("CC BY"): no thing's whole name
    heads = frozenset(cw[j][0] for j in _near(len(cw), k) if cw[j][0] in _HEADS)
    others = {w[0] for j, w in enumerate(cw) if j != k and w[0] not in heads}
    for text in sentences:
        stems = stem_set(text)
        if not heads & stems or len(others & stems) < _TYPED_SHARED:
            continue
        filler = _typed_filler(heads, cw, slot_words(text), _is_language(name))
        if filler:
            return name, filler, text
    return None


def _unused_names(cw: tuple[Word, ...], sentences: Sequence[str]) -> list[int]:
    """Indices of the claim's names that none of the paper's ``sentences`` uses."""
    used = frozenset().union(*(stem_set(t) for t in sentences))
    return [k for k, w in enumerate(cw) if w[2] and not paper_uses(w[0], used)]


def source_swap(claim: str, sentences: Sequence[str]) -> tuple[str, str, str] | None:
    """(claim's name, the paper's, its sentence) when the claim gives its thing a source the
    paper never names ("assembled from Wikipedia articles in 56 languages") and a sentence
    sharing half its other words gives another ("a dataset of 255k ... words across 56 diverse
    languages obtained from Wiktionary"), however the rest is reworded.
    """
    sources = {m.group(1) for m in _FROM.finditer(claim)}
    if not sources:
        return None
    cw = slot_words(claim)
    unused = _unused_names(cw, sentences)
    if len(unused) != 1 or cw[unused[0]][1] not in sources:
        return None  # the source is the paper's own, or another paper's claim
    k = unused[0]
    mine = {w[0] for w in cw}
    others = {w[0] for j, w in enumerate(cw) if j != k}
    need = max(_SOURCE_MIN, _SOURCE_SHARE * len(others))
    for text in sentences:
        if len(others & stem_set(text)) < need or "from" not in text:
            continue
        named = {raw: stem for stem, raw, named_here in slot_words(text) if named_here}
        for m in _FROM.finditer(text):
            filler = m.group(1)
            # No name (a title's or an author's capital), or the claim's own in any spelling.
            if filler not in named or named[filler] in mine:
                continue
            if not any(same_name(filler, w[1]) for w in cw if w[2]):
                return cw[k][1], filler, text
    return None


# A thing put to use, or a source: "uses the XNLI benchmark", "elicited from Mistral-7B",
# "built on mBERT", "we adopt KIS", "with the Gentle aligner" (a word or two between).
_PUT_TO_USE = re.compile(
    r"\b(?:us(?:e|es|ed|ing)|employ(?:s|ed|ing)?|adopt(?:s|ed|ing)?|utili[sz](?:e|es|ed|ing)"
    r"|leverag(?:e|es|ed|ing)|cho(?:se|sen|ose)|select(?:s|ed|ing)?|from|based\s+on|built\s+on"
    r"|via|with)\b(?:\s+(?:the|a|an|our|its|their))?\s*(?:[\w.\-\u2019']+\s+){0,2}?$",
    re.I,
)
_KIND_REGISTRIES = ("languages", "models", "datasets", "tasks")
# The text before a word read for the relation that puts it to use.
_BEFORE = 60


def name_kind(raw: str) -> str | None:
    """The registry kind that names ``raw`` alone (a language, model, dataset or task)."""
    return next((kind for kind in _KIND_REGISTRIES if entity_spans(kind, raw)), None)


def is_name(word: Word) -> bool:
    """A name as :func:`slot_words` reads it, or a capitalised versioned one opening the text
    ("Qwen-1.5 showed ...")."""
    return word[2] or (word[1][0].isupper() and any(c.isdigit() for c in word[1]))


def one_of_a_kind(x: str, y: str, plain: bool = False) -> bool:
    """Whether two names may be two things of one kind: of one registry kind when a registry
    names either, else both written as names are ("GIZA++"-like marks aside: not a plain
    capitalised word, nor a plural acronym naming a class, "LLMs"). ``plain``: a plain
    capitalised word counts too ("Gentle", "Bertalign": the caller has read it as a name
    where it stands)."""
    kx, ky = name_kind(x), name_kind(y)
    if kx or ky:
        return kx == ky

    def strong(raw: str) -> bool:
        return (plain or not raw[1:].islower()) and not re.fullmatch(r"[A-Z]+s", raw)

    return strong(x) and strong(y)


def placed_words(text: str) -> list[tuple[Word, int]]:
    """Each of :func:`slot_words`' words with its offset in ``text`` (-1 when not found)."""
    out, pos = [], 0
    for word in slot_words(text):
        at = text.find(word[1], pos)
        if at >= 0:
            pos = at + len(word[1])
        out.append((word, at))
    return out


def put_to_use(text: str, at: int) -> bool:
    """Whether the words just before offset ``at`` put what follows to use ("uses", "adopted",
    "based on", "with")."""
    return bool(_PUT_TO_USE.search(text[max(0, at - _BEFORE) : at]))


def use_swap(claim: str, sentences: Sequence[str]) -> tuple[str, str, str] | None:
    """(claim's name, the paper's, its sentence) when the claim puts to use a thing the paper
    never names ("The experiments use six languages from MLQA", "The open-source model compared
    with ChatGPT was LLaMA-65B") and a sentence of the paper sharing another of its words puts to
    use another thing of its kind ("We pick 6 languages from TyDiQA", "using ChatGPT and
    Falcon-40B"), the sentence most like the claim first: what was used is the paper's own, so
    naming another refutes. A claim naming two things the paper never names is another paper's.
    """
    cw = slot_words(claim)
    placed = placed_words(claim)
    if not any(w[2] and at >= 0 and put_to_use(claim, at) for w, at in placed):
        return None  # nothing named is put to use: the common case, before reading the paper
    unused = _unused_names(cw, sentences)
    if len(unused) != 1:
        return None
    k = unused[0]
    name = cw[k][1]
    at = placed[k][1]
    if NAME_AS_ADJECTIVE.search(name) or at < 0 or not put_to_use(claim, at):
        return None
    mine = {w[0] for w in cw}
    others = mine - {cw[k][0]}
    shared = [(len(others & stem_set(text)), text) for text in sentences]
    for n, text in sorted(shared, key=lambda p: -p[0]):  # the sentence most like the claim first
        if not n:
            break
        for word, pos in placed_words(text):
            if pos < 0 or not is_name(word) or word[0] in mine or NAME_AS_ADJECTIVE.search(word[1]):
                continue
            if any(same_name(word[1], w[1]) for w in cw if is_name(w)):
                continue  # the claim's name written another way
            if one_of_a_kind(name, word[1]) and put_to_use(text, pos):
                return name, word[1], text
    return None


# Clause breaks: the names of one clause go together ("the Aya dataset for Malagasy and Sinhala,
# and the InstrucTurca dataset for Turkish"; "... English, whereas Qwen-1.5 ... Hindi").
_CLAUSE_BREAK = re.compile(
    r";|,?\s+(?:while|whereas|but|since|because|although|though|whilst|unlike)\b"
    r"|,\s+(?:and|with|like)\b|\bversus\b|\bvs\.?"
)


def _clause_names(text: str) -> dict[str, tuple[str, frozenset[int]]]:
    """Each name's stem -> (the name as written, the clauses it stands in)."""
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    out: dict[str, tuple[str, frozenset[int]]] = {}
    for word, at in placed_words(text):
        if at >= 0 and is_name(word):
            raw, clauses = out.get(word[0], (word[1], frozenset()))
            out[word[0]] = (raw, clauses | {sum(c <= at for c in cuts)})
    return out


def partner_swap(claim: str, evidence: str) -> float:
    """1.0 when the sentence puts a name of the claim with another of the claim's names than the
    claim does, and apart from the one the claim puts it with: "The Turkish data came from the
    Aya dataset, like the Malagasy and Sinhala data" against "We use the Aya dataset for Malagasy
    and Sinhala, and the InstrucTurca dataset for Turkish" (Aya goes with Malagasy, not with
    Turkish). A sentence naming the claim's names in other groupings without trading partners
    (a list split over two clauses) is none."""
    cn = _clause_names(claim)
    if len(cn) < 3:
        return 0.0  # two names trade no partners
    en = _clause_names(evidence)
    ev: dict[str, frozenset[int]] = {}
    for stem, (raw, clauses) in en.items():
        if stem not in cn:  # the claim's name written another way ("L2" / "L_2")
            stem = next((c for c, (r, _) in cn.items() if len(r) > 1 and same_name(r, raw)), stem)
        ev[stem] = ev.get(stem, frozenset()) | clauses
    both = [s for s in cn if s in ev]

    def joined(clauses: dict, a: str, b: str) -> bool:
        return bool(clauses[a] & clauses[b])

    mine = {s: clauses for s, (_, clauses) in cn.items()}
    for a in both:
        for b in both:
            if b == a or not joined(mine, a, b) or joined(ev, a, b):
                continue
            for c in both:
                if c not in (a, b) and joined(ev, a, c) and not joined(mine, a, c):
                    return 1.0
    return 0.0


def paper_frame_swap(claim: str, sentences: Sequence[Sentence]) -> float:
    """1.0 when one of a paper's evidence sentences (no reference, title, header or equation)
    states the claim's frame with another name in its slot (:func:`frame_swap`), fills the
    claim's typed slot with another name (:func:`typed_swap`), gives its thing another source
    (:func:`source_swap`) or puts another thing of its kind to use (:func:`use_swap`)."""
    texts = [s.text for s in sentences if s.kind not in EVIDENCE_KINDS_SKIPPED]
    checks = (frame_swap, typed_swap, source_swap, use_swap)
    return float(any(check(claim, texts) is not None for check in checks))
