"""A labelled verification set built from real papers: supported, refuted and unaddressed claims.

From every claim a library's papers make (``synth.claims``):
- SUPPORTS: the sentence itself, and a paraphrase (discourse prefixes dropped, synonyms, rounding);
- REFUTES: one perturbation per applicable kind: a number changed, the direction flipped, an
  entity swapped for another of its kind, a negation added;
- NOT ENOUGH INFO: the sentence, its paraphrase and one perturbation, verified with the claim's
  own paper excluded from the library (the other papers do not address it).
Examples are split by paper, so the calibration is measured on papers it never saw.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import asdict, dataclass

from synth.claim_ranker import use_ranker
from synth.claims import ClaimSettings, extract_claims
from synth.entities import LANGUAGES, MODELS, TASK_KINDS, TASKS, entity_spans, parse_numbers
from synth.library import Library
from synth.textchecks import DIRECTION_ANTONYMS, antonym, paper_entities

# Synonyms that keep the meaning (and the direction) of a finding.
PARAPHRASE_SYNONYMS: dict[str, str] = {
    "shows": "demonstrates",
    "demonstrates": "shows",
    "show": "demonstrate",
    "achieves": "obtains",
    "obtains": "achieves",
    "achieved": "obtained",
    "significant": "substantial",
    "approximately": "about",
    "uses": "employs",
    "use": "employ",
    "utilize": "use",
    "method": "approach",
    "approach": "method",
    "results in": "leads to",
    "leads to": "results in",
    "indicate": "suggest",
    "indicates": "suggests",
    "enhance": "strengthen",
    "reveal": "show",
    "observed": "seen",
    "find": "observe",
    "various": "several",
    "typically": "usually",
    "often": "frequently",
    "large": "considerable",
}
_SYNONYM_RE = re.compile(
    r"\b("
    + "|".join(re.escape(w) for w in sorted(PARAPHRASE_SYNONYMS, key=len, reverse=True))
    + r")\b"
)
_DISCOURSE = re.compile(
    r"^(Moreover|Additionally|However|In addition|Overall|Surprisingly|Finally|Furthermore|"
    r"Consequently|Importantly|Notably|Thus|Therefore|Hence|Conversely|Interestingly),\s+"
)
_THAT = re.compile(
    r"^(We|Our (results|experiments|findings)|The results|Results) (find|found|show|showed|"
    r"observe|observed|confirm|indicate|suggest|see|demonstrate)s? that\s+"
)
_AUX = re.compile(
    r"\b(is|are|was|were|can|could|will|would|should|has|have|had|does|did)\b(?! not)(?!n't)"
)
# Finite verbs that take "does/did not" + base form.
_VERB_BASE: dict[str, str] = {
    v + "s": v
    for v in (
        "improve outperform achieve show yield lead reduce increase perform help benefit obtain reach"
        " provide demonstrate remain rely suffer produce allow enable require match surpass exceed"
        " indicate suggest result boost hurt tend cause confirm"
    ).split()
}
_PAST_BASE = {v[:-1] + "ed" if v.endswith("e") else v + "ed": v for v in _VERB_BASE.values()}
_PAST_BASE.update({v + "d": v for v in _VERB_BASE.values() if v.endswith("e")})
SPLIT_TEST_FRACTION = 0.4


@dataclass(frozen=True)
class LabelledExample:
    """One claim with its gold label, how it was made, and the papers it must be verified without."""

    example_id: str
    claim: str
    label: str
    kind: str  # sentence | paraphrase | number | direction | entity | negation | unaddressed
    paper_id: str
    page: int
    source: str
    exclude: tuple[str, ...] = ()
    split: str = "fit"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _rng(text: str) -> random.Random:
    return random.Random(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))


def paraphrase(text: str) -> str | None:
    """A meaning-preserving rewrite, or None when no rule applies."""
    out = _DISCOURSE.sub("", text)
    out = out[0].upper() + out[1:] if out else out
    out = _THAT.sub("", out)
    out = out[0].upper() + out[1:] if out else out
    out = re.sub(r"^We\b", "The authors", out)
    out = re.sub(r"\bwe\b", "the authors", out)
    out = re.sub(r"\b[Oo]ur\b", lambda m: "Their" if m.group(0) == "Our" else "their", out)
    # One pass, so a swapped word is never swapped back; at most two swaps.
    count = [0]

    def swap(m: re.Match[str]) -> str:
        count[0] += 1
        return PARAPHRASE_SYNONYMS[m.group(0)] if count[0] <= 2 else m.group(0)

    out = _SYNONYM_RE.sub(swap, out)
    # round one 2-decimal number
    out = re.sub(r"\b\d+\.\d\d\b", lambda m: f"{float(m.group(0)) + 1e-9:.1f}", out, count=1)
    out = re.sub(r"(\d)%", r"\1 percent", out, count=1)
    return out if out != text else None


_CLAUSE_BREAK = re.compile(r"(?:,\s+(?:while|whereas|but|although|which|since|as)\b|;\s+)")


_LEADING_FRAME = re.compile(
    r"^(In|For|On|At|After|When|While|With|Across|Regarding|Compared to|Unlike)\b[^,]{3,80},\s+"
)


def compress(text: str) -> str | None:
    """A terser restatement: no framing phrase, no parentheticals, then a paraphrase.

    This is how people restate a finding ("the best binary classifier reached F1 0.50"), and it
    moves the claim further from its source sentence than a synonym swap does.
    """
    out = _LEADING_FRAME.sub("", _DISCOURSE.sub("", text))
    out = re.sub(r"\s*\((?![^()]*\d)[^()]*\)", "", out)  # parentheticals without numbers
    out = re.sub(r"\s+", " ", out).strip()
    if not out or len(out.split()) < 6:
        return None
    out = out[0].upper() + out[1:]
    out = paraphrase(out) or out
    return out if out != text and out != paraphrase(text) else None


def sub_claim(text: str) -> str | None:
    """The first clause of a two-clause sentence, as a sentence: a weaker claim the whole supports."""
    m = _CLAUSE_BREAK.search(text)
    if not m:
        return None
    head = text[: m.start()].rstrip(" ,;")
    if len(head.split()) < 6 or _DISCOURSE.match(head + ", "):
        return None
    return head + "."


def change_number(text: str) -> str | None:
    """The claim with one stated number changed enough to be false."""
    nums = [n for n in parse_numbers(text) if n.unit or n.metric] or list(parse_numbers(text))
    if not nums:
        return None
    n = nums[0]
    raw_num = re.search(r"\d[\d,]*(?:\.\d+)?", n.raw)
    if raw_num is None:
        return None
    decimals = len(raw_num.group(0).split(".")[1]) if "." in raw_num.group(0) else 0
    step = max(abs(n.value) * _rng(text).uniform(0.2, 0.5), 1.0 if decimals == 0 else 0.7)
    value = (
        abs(n.value) + step
        if abs(n.value) < 50 or _rng(text).random() < 0.5
        else abs(n.value) - step
    )
    new = f"{value:.{decimals}f}"
    start = text.find(n.raw)
    if start < 0 or new == raw_num.group(0):
        return None
    new_raw = n.raw.replace(raw_num.group(0), new, 1)
    return text[:start] + new_raw + text[start + len(n.raw) :]


def flip_direction(text: str) -> str | None:
    """The claim with its first direction word replaced by the opposite one."""
    for m in re.finditer(r"[A-Za-z]+", text):
        opp = antonym(m.group(0))
        if opp and m.group(0).lower() in DIRECTION_ANTONYMS.keys() | set(
            DIRECTION_ANTONYMS.values()
        ):
            return text[: m.start()] + opp + text[m.end() :]
    return None


def swap_entity(text: str, avoid: frozenset[str] = frozenset()) -> str | None:
    """The claim with one named model, task or language replaced by another of its kind.

    The replacement is never one of ``avoid`` (the entities the claim's paper names anywhere),
    so the swapped claim is false of the paper, not merely about another part of it.
    """
    pools = {
        "models": [m for m in MODELS if " " not in m],
        "tasks": [t for t in TASKS if t not in TASK_KINDS],
        "languages": list(LANGUAGES),
    }
    for kind in ("models", "tasks", "languages"):
        spans = entity_spans(kind, text)
        if not spans:
            continue
        start, end, name = spans[0]
        named = {n for _, _, n in spans}
        choices = [c for c in pools[kind] if c not in named and c != name and c not in avoid]
        new = _rng(text + kind).choice(choices)
        surface = LANGUAGES[new] if kind == "languages" else new
        if kind == "languages" and text[start:end].islower():
            continue  # a code in a code list: swapping reads as noise
        return text[:start] + surface + text[end:]
    return None


def add_negation(text: str) -> str | None:
    """The claim negated: "not" after the first auxiliary, or "does/did not" before the verb."""
    aux = _AUX.search(text)
    words = list(re.finditer(r"[A-Za-z]+", text))
    for m in words[1:]:
        w = m.group(0)
        if aux and aux.start() < m.start():
            break
        if w in _VERB_BASE:
            return f"{text[: m.start()]}does not {_VERB_BASE[w]}{text[m.end() :]}"
        if w in _PAST_BASE:
            return f"{text[: m.start()]}did not {_PAST_BASE[w]}{text[m.end() :]}"
    if aux:
        return f"{text[: aux.end()]} not{text[aux.end() :]}"
    return None


PERTURBATIONS = {
    "number": change_number,
    "direction": flip_direction,
    "entity": swap_entity,
    "negation": add_negation,
}


def examples_for_claim(
    text: str, paper_id: str, page: int, split: str, avoid: frozenset[str] = frozenset()
) -> list[LabelledExample]:
    """Every labelled example one claim yields (see the module docstring)."""
    base = hashlib.sha256(f"{paper_id}|{text}".encode()).hexdigest()[:10]

    def make(claim: str, label: str, kind: str, exclude: tuple[str, ...] = ()) -> LabelledExample:
        tag = "x" if exclude else ""
        return LabelledExample(
            f"{base}-{kind}{tag}", claim, label, kind if not exclude else "unaddressed",
            paper_id, page, text, exclude, split,
        )  # fmt: skip

    out = [make(text, "SUPPORTS", "sentence")]
    para = paraphrase(text)
    if para:
        out.append(make(para, "SUPPORTS", "paraphrase"))
    sub = sub_claim(text)
    if sub:
        out.append(make(sub, "SUPPORTS", "subclaim"))
    short = compress(text)
    if short:
        out.append(make(short, "SUPPORTS", "compressed"))
    perturbed = []
    for kind, fn in PERTURBATIONS.items():
        changed = swap_entity(text, avoid) if kind == "entity" else fn(text)
        if changed and changed != text:
            perturbed.append(changed)
            out.append(make(changed, "REFUTES", kind))
    own = (paper_id,)
    out.append(make(text, "NOT ENOUGH INFO", "sentence", own))
    if para:
        out.append(make(para, "NOT ENOUGH INFO", "paraphrase", own))
    if perturbed:
        out.append(make(_rng(text).choice(perturbed), "NOT ENOUGH INFO", "perturbed", own))
    return out


def paper_split(paper_ids: list[str]) -> dict[str, str]:
    """Deterministic split by paper: about 40% of papers (at least one) are held out for testing."""
    ordered = sorted(paper_ids, key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    n_test = max(1, round(len(ordered) * SPLIT_TEST_FRACTION)) if len(ordered) > 1 else 0
    return {p: ("test" if i < n_test else "fit") for i, p in enumerate(ordered)}


def build_labelled_set(
    library: Library,
    settings: ClaimSettings | None = None,
    related_unaddressed: tuple[str, ...] = (),
) -> list[LabelledExample]:
    """The labelled set of a library's papers (machine-generated papers are left out).

    Args:
        library: the library whose papers make the claims.
        settings: claim extraction settings.
        related_unaddressed: claims on nearby topics that no paper of the library makes (e.g. the
            seed report's claims about arXiv 2005.13013): NOT ENOUGH INFO with nothing excluded,
            split half and half by hash.
    """
    # The hand weights choose the claims (not a shipped synth/claim_ranker.json): the labelled
    # set the calibrator is fitted and judged on does not move when the extraction model does.
    with use_ranker(None):
        extracted = extract_claims(library, settings=settings)
    claims = [
        c
        for c in extracted
        if c.paper_id and not (library.get_paper(c.paper_id) or _NoPaper).machine_generated
    ]
    split = paper_split(sorted({c.paper_id for c in claims if c.paper_id}))
    out: list[LabelledExample] = []
    named: dict[str, frozenset[str]] = {}
    for c in claims:
        pid = c.paper_id or ""
        if pid not in named:
            ents = paper_entities([s.text for s in library.sentences(paper_id=pid)])
            named[pid] = frozenset(n for names in ents.values() for n in names)
        out.extend(examples_for_claim(c.text, pid, c.page or 0, split[pid], named[pid]))
    for text in related_unaddressed:
        digest = hashlib.sha256(text.encode()).hexdigest()
        out.append(
            LabelledExample(f"{digest[:10]}-related", text, "NOT ENOUGH INFO", "related",
                            "", 0, text, (), "test" if int(digest, 16) % 2 else "fit")
        )  # fmt: skip
    return out


class _NoPaper:
    machine_generated = False
