"""The two sides of a comparison in a sentence: the words nearest each side of its comparative.

"Pruning ... hurts low-resource languages much more than English" compares low-resource languages
with English; "mBERT is as resilient as BERT" compares mBERT with BERT. :func:`comparison_frames`
reads every comparison of a sentence (its two sides, its comparative word, whether it is a bound
like "more than five million people"); :func:`comparison_core` is the first one's two sides.
``synth.comparisons`` checks a claim's comparison against a sentence's with them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from synth.numchecks import stems
from synth.quantchecks import DEGREE_WORDS, TOKEN, comparative_before

# Comparative markers with a second side after them: "than Y", "compared to Y", "as ... as Y",
# "similar to Y", and verbs that compare ("A outperforms B").
_COMPARE_VERBS = re.compile(
    r"^(?:outperform\w*|underperform\w*|beat|beats|surpass\w*|exceed\w*|trail\w*|lag\w*|"
    r"rival\w*|match(?:es|ed)?|outscor\w*|outrank\w*|outclass\w*|outpac\w*|outstrip\w*|"
    r"outd(?:o|oes|id|one))$",
    re.I,
)
_SECOND_MARKERS = frozenset({"than"})
_FALL = frozenset({"fall", "falls", "fell", "falling", "fallen"})
_PAIR_MARKERS = {("compared", "to"), ("compared", "with"), ("similar", "to"), ("relative", "to"),
                 ("on", "par"), ("close", "to"), ("equal", "to"), ("identical", "to"),
                 ("superior", "to"), ("inferior", "to")}  # fmt: skip
# Words between a side and its comparative that are no part of the side.
_SKIP = frozenset(
    "much far significantly substantially considerably slightly marginally somewhat even still "
    "is are was were be been being has have had does do did a an the no not consistently clearly "
    "generally notably way lot only about roughly almost nearly just more less most least "
    "better worse higher lower larger smaller greater every all each any gives give gave yields "
    "yield yielded achieves achieved obtains obtained reaches reached shows showed scores scored "
    "performs performed behind turn turns turned out prove proves proved seem seems seemed "
    "appear appears appeared remain remains remained become becomes became "
    # a predicate's verb or adverb ("usually did better", "tends to perform better", "works
    # better"): no part of the side before it
    "perform performing work works worked working tend tends tended usually often typically "
    "always frequently mostly mainly largely overall without".split()
)
# Words that open the clause holding a side: reading back from the comparative, the side ends
# at one once it has a word ("While the ByT5 model is more robust", "Figure 2 shows 10 samples
# outperform ...", "we show that X is ..."); before any side word they are the predicate ("X
# shows better results than Y").
_CLAUSE_OPENERS = frozenset(
    "that whether while whereas although though because since unless once "
    "show shows showed shown find finds found observe observes observed note notes noted "
    "indicate indicates indicated suggest suggests suggested reveal reveals revealed "
    "demonstrate demonstrates demonstrated confirm confirms confirmed".split()
)
# Words that end a side when reading past the comparative ("than Y on the test set").
_SIDE_END = frozenset(
    "on in for at with when while because by across under over after before during and but "
    "which that who whereas although though since if as".split()
)
# Generic words that name no side ("than the other ones", "that of").
_GENERIC = frozenset(
    "one ones those that this these it its their them other others model models method methods "
    "approach approaches system systems result results performance score scores".split()
)
# A preposition between the comparative and "than" introduces the first side.
# So does a condition ("faster when suggestions were shown than when they were hidden").
_MID_PREPS = frozenset({"on", "in", "for", "at", "with", "when", "if", "under", "during"})
# An effect's nouns: "a larger impact on X than Y" compares X with Y.
_EFFECT_NOUNS = frozenset("impact impacts effect effects influence gain gains".split())
_BOUND = re.compile(
    r"(?:an? |one |the )?(?:\d|(?:two|three|four|five|six|seven|eight|nine|ten|hundred|thousand"
    r"|half|quarter|third|twice|double)\b)"
)
_SIDE_WORDS = 3


def _forms(bases: str) -> frozenset[str]:
    """A regular verb's forms: "cope" -> cope, copes, coped, coping; "rely" -> relies, relied."""
    out = set()
    for b in bases.split():
        stem_ = b[:-1] if b.endswith("e") else b
        out |= {
            b,
            b + "es" if b.endswith(("s", "sh", "ch")) else b + "s",
            stem_ + "ed",
            stem_ + "ing",
        }
        if b.endswith("y"):
            out |= {b[:-1] + "ies", b[:-1] + "ied"}
    return frozenset(out)


# Verbs of a predicate ("copes with noisy inputs better than", "helped more than", "makes OPUS
# more robust than", "holds up better than"): reading back from the comparative, the first side
# is the subject before the verb, not the verb and its object. Forms that are seldom nouns only.
_PREDICATE_VERBS = _forms(
    "help matter cope handle fare generalize generalise benefit improve rely depend contribute "
    "adapt recover respond react contain produce"
) | frozenset(
    "hold holds held holding make makes made making deal deals dealt dealing do does did doing "
    "scales scaled".split()
)
# Verbs whose object is what fares better or worse ("it helps SWITCHMLM far more than it helps
# MLM", "pruning hurts low-resource languages more than English"): with an object before the
# comparative, the object is the side.
_AFFECT_VERBS = _forms(
    "help benefit improve hurt harm damage degrade affect boost aid favor favour"
)
# How many words of a main clause (twice this, through one relative clause) may stand between
# a fronted "Compared to Y," and its comparative.
_FRONTED_REACH = 12


_VERSION = re.compile(r"^\d{1,2}[a-z]?$")
_DOTTED = re.compile(r"^\d[\dA-Za-z]{0,2}$")


def _units(tokens: list[str], backward: bool) -> list[tuple[str, str]]:
    """The side's words with a version number kept on its name ("Llama 3.1", "OLMo 2"; the
    tokens hold "3.1" as "3", "1"): (word, version or ""), in the order of ``tokens`` (nearest
    the comparative first; with ``backward`` the tokens run right to left, so the number comes
    before its name)."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        # "M2M-1.2B" read as "M2M-1", "2B": the name whole again
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        head, tail = (nxt, tokens[i]) if backward else (tokens[i], nxt)
        if head[-1:].isdigit() and _DOTTED.match(tail) and re.search("[A-Za-z]", head):
            out.append((f"{head}.{tail}", ""))
            i += 2
            continue
        if backward:
            k = i
            while k < len(tokens) and k - i < 3 and _VERSION.match(tokens[k]):
                k += 1
            name, parts = (tokens[k] if k < len(tokens) else ""), tokens[i:k][::-1]
        else:
            name, k = tokens[i], i + 1
            while k < len(tokens) and k - i <= 3 and _VERSION.match(tokens[k]):
                k += 1
            parts = tokens[i + 1 : k]
        if parts and name[:1].isupper() and name.lower() not in _SKIP:
            out.append((name, ".".join(parts)))
            i = k + 1 if backward else k
            continue
        out.append((tokens[i], ""))
        i += 1
    return out


def _side(tokens: list[str], backward: bool = False) -> frozenset[str]:
    """Content stems of up to three side words in ``tokens`` (nearest first; a hyphenated
    word's stems and parts count as words). A name with its version number ("Llama 3.1") is
    one word whose stems carry the number as well ("llama", "llama 3.1": two versions of one
    name are two sides)."""
    out: list[str] = []
    n = 0
    for tok, version in _units(tokens, backward):
        low = tok.lower()
        if low in _SKIP or low in _GENERIC or low[0].isdigit():
            continue
        found = [w for w in stems(low, numbers=False) if w not in _GENERIC and len(w) > 1]
        # "low-resource": the whole word (as sentences' stems have it) and its parts (as table
        # labels have them)
        found += [
            p
            for w in found
            if "-" in w
            for p in stems(w.replace("-", " "), numbers=False)
            if len(p) > 1
        ]
        n += len(found)
        if found and version:
            found.append(f"{found[0]} {version}")
        out.extend(found)
        if n >= _SIDE_WORDS:
            break
    return frozenset(out)


def _before(tokens: list[str], at: int) -> list[str]:
    """Tokens before the comparative at ``at``, nearest first, up to a clause break."""
    out = []
    for tok in reversed(tokens[:at]):
        if tok in ",;:":
            break
        # "we show that X is more robust than Y": the side starts after "that" (a relative
        # "that" before any side word goes on: "a model that is more accurate than")
        if tok.lower() in _CLAUSE_OPENERS and any(
            t.lower() not in _SKIP and t.lower() not in _GENERIC for t in out
        ):
            break
        if tok not in "()":  # "the contrastive regularization (CACR) hurts more than"
            out.append(tok)
    return out


def _past_predicate(before: list[str], keep_object: bool = False) -> list[str]:
    """The first side's tokens (nearest first) past a predicate's verb and its object: "classical
    models cope with noisy inputs better than" -> "models classical"; "the small scorer helped
    more than" -> "scorer small". A verb that affects its object keeps the object as the side
    ("helps SWITCHMLM more than"), as does any verb with ``keep_object`` (the second side is
    "ones" of the object's kind); with no side word before the verb, the tokens stay."""
    for k, tok in enumerate(before):
        low = tok.lower()
        # "pseudo data made by simulating ...": a participle's modifier, no predicate
        if low not in _PREDICATE_VERBS or (k and before[k - 1].lower() == "by"):
            continue
        if (low in _AFFECT_VERBS or keep_object) and any(_content(t) for t in before[:k]):
            return before
        rest = before[k + 1 :]
        return rest if any(_content(t) for t in rest) else before
    return before


def _content(tok: str) -> bool:
    low = tok.lower()
    return (
        low.replace("-", "").isalnum()
        and low not in _SKIP
        and low not in _GENERIC
        and not low[0].isdigit()
    )


def _after(tokens: list[str], at: int) -> list[str]:
    """Tokens after the second side's marker, up to a break or a word that ends the side."""
    out = []
    for tok in tokens[at:]:
        low = tok.lower()
        if tok in ",;:()":
            break
        if low in _SIDE_END:
            if out:
                break
            continue  # "than on Y", "than in English"
        out.append(tok)
    return out


Frame = tuple[frozenset[str], frozenset[str], int, tuple[str, ...], bool]


@lru_cache(maxsize=4096)
def comparison_frames(text: str) -> tuple[Frame, ...]:
    """Every comparison of a sentence: (first side, second side, index of its comparative word
    in the tokens (-1 when none: "than" alone, "compared to", a bound), the lower-cased tokens,
    whether it is a bound ("more than five million people") rather than two sides)."""
    toks = TOKEN.findall(text)
    low = [t.lower() for t in toks]
    out = []
    for i, tok in enumerate(low):
        second_at, word = None, -1
        if tok in _SECOND_MARKERS and i > 0:
            # the comparative before "than" ("much less resilient to attention head pruning
            # than"): the first side is read before it
            word = comparative_before(low, i)
            first_at = word if word >= 0 else i
            second_at = i + 1
        elif i + 1 < len(low) and (tok, low[i + 1]) in _PAIR_MARKERS:
            first_at, second_at = i, i + 2
            word = i if tok in ("superior", "inferior") else -1
            if tok in ("compared", "relative") and i > 0:
                # "E-T5 exhibits better calibration compared to E-MLP": the comparative before
                # it says the way, and the first side is read before that
                word = comparative_before(low, i)
                first_at = word if word >= 0 else i
        elif (
            tok == "as"
            and (i == 0 or low[i - 1] != "such")  # "metrics such as BLEU as the fitness"
            and i + 2 < len(low)
            and "as" in low[i + 2 : i + 6]
        ):
            first_at, second_at = i, low.index("as", i + 2) + 1
        elif _COMPARE_VERBS.match(tok) and i > 0:
            first_at, second_at, word = i, i + 1, i
        elif tok in _FALL and i > 0 and i + 1 < len(low) and low[i + 1] in ("behind", "short"):
            # "falls short of X", "fell behind X"
            first_at, word = i, i
            second_at = i + 3 if low[i + 1] == "short" and low[i + 2 : i + 3] == ["of"] else i + 2
        if second_at is None:
            continue
        before = _before(toks, first_at)
        # "handled right-branching paths better than left-branching ones": "ones" is of the
        # object's kind, so the object is the side, not the subject before the verb
        ones = _after(toks, second_at)[-1:] in (["ones"], ["one"])
        first = _side(_past_predicate(before, keep_object=ones), backward=True)
        if not first and word == i and low[i].endswith("ing") and low[i - 1] == ",":
            # "DAMP achieves 20.5, outperforming even MT5-XXL": the main clause's subject
            first = _side(_subject(toks), backward=True)
        if not first and tok in ("compared", "relative"):
            # "Compared to ChatGPT, the Falcon data was of considerably lower quality"
            first, word = _fronted(toks, low, second_at) or (first, word)
        # "did better on the Turkish test set than on the English one": prepositions introduce
        # both sides ("longer in word count than English ones": the first names a measure)
        parallel = tok == "than" and i + 1 < len(low) and low[i + 1] in _MID_PREPS
        mid = [j for j in range(first_at + 1, i) if low[j] in _MID_PREPS] if parallel else []
        if not mid and tok == "than":
            # "a larger impact on X than Y" (the effect's object is the side), and "perform
            # better on X than Y" when the subject names nothing ("all of our models")
            mid = [
                j
                for j in range(first_at + 1, i)
                if low[j] in _MID_PREPS and (low[j - 1] in _EFFECT_NOUNS or not first)
            ][:1]
        if mid:
            first = _side(_after(toks[:i], mid[-1] + 1))
        second = _side(_after(toks, second_at))
        # "more than a quarter", "more than five million people": a bound, no two sides
        bound = bool(_BOUND.match(" ".join(low[second_at : second_at + 2])))
        if first and second:
            out.append((first, second, -1 if bound else word, tuple(low), bound))
    return tuple(out)


def _subject(toks: list[str]) -> list[str]:
    """The sentence's first words up to its first verb-like skip word or clause break, nearest
    the verb first (as :func:`_before` reads a side)."""
    out = []
    for tok in toks:
        if tok in ",;:" or tok.lower() in _SKIP - {"a", "an", "the"}:
            break
        out.append(tok)
    return out[::-1]


def _fronted(toks: list[str], low: list[str], second_at: int) -> tuple[frozenset[str], int] | None:
    """A fronted second side ("Compared to Y, X is more robust"): the main clause's first side
    and the index of its comparative (a degree word or a comparing verb after the comma)."""
    comma = next((j for j in range(second_at, len(low)) if low[j] in (",", ";", ":")), None)
    if comma is None or low[comma] != ",":
        return None
    for j in range(comma + 1, min(len(low), comma + 1 + 2 * _FRONTED_REACH)):
        if low[j] in (";", ":"):
            break
        if low[j] in DEGREE_WORDS or _COMPARE_VERBS.match(low[j]):
            first = _side(_past_predicate(_before(toks, j)), backward=True)
            return (first, j) if first else None
    return None


def comparison_core(text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(first side, second side): the content stems nearest each side of a comparison, or None
    when the sentence compares no two named things.

    "Pruning ... hurts low-resource languages much more than English" -> ({hurt, low,
    resource, language} - nearest three words, {english}); "mBERT is as resilient as BERT" ->
    ({mbert}, {bert}); "Balanced BAD-X outperforms MAD-X" -> ({balanc, bad-x}, {mad-x}).
    """
    frames = comparison_frames(text)
    return (frames[0][0], frames[0][1]) if frames else None
