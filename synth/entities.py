"""The taggers that use the field's names (registries in ``synth.claim_names``).

Registries are plain dicts written out: canonical name -> aliases (regular-expression fragments,
matched on word boundaries). Longest matches win, so "XLM-R Large" is tagged, not "XLM-R" inside it.
``tag_entities`` finds tasks, models, datasets and languages; ``parse_numbers`` finds the numbers a
sentence states, with their unit and the metric they measure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from synth.claim_names import (  # the registries, importable from here as before
    AMBIGUOUS_CODES,
    DATASETS,
    LANGUAGE_ALIASES,
    LANGUAGES,
    METRICS,
    MODELS,
    TASK_KINDS,
    TASKS,
)
from synth.records import Number

__all__ = [
    "DATASETS",
    "LANGUAGES",
    "LANGUAGE_ALIASES",
    "METRICS",
    "MODELS",
    "TASKS",
    "TASK_KINDS",
    "entity_spans",
    "find_metrics",
    "parse_numbers",
    "tag_entities",
]


def _compile(registry: dict[str, tuple[str, ...]], flags: int = 0) -> re.Pattern[str]:
    parts = []
    for name, aliases in registry.items():
        group = re.sub(r"\W", "_", name)
        parts.append((name, f"(?P<g_{group}>{'|'.join(aliases)})"))
    # Longest-looking alternatives first, so "XLM-R Large" wins over "XLM-R".
    parts.sort(key=lambda p: -max(len(a) for a in registry[p[0]]))
    return re.compile(r"(?<![\w-])(?:" + "|".join(p for _, p in parts) + r")(?![\w-]*\w)", flags)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    names = {}
    for reg in (TASKS, DATASETS, MODELS, METRICS):
        names.update({"g_" + re.sub(r"\W", "_", k): k for k in reg})
    lang_names = {}
    for code, name in LANGUAGES.items():
        lang_names[code] = (name, *LANGUAGE_ALIASES.get(code, ()))
    return {
        "tasks": (_compile(TASKS), names),
        "datasets": (_compile(DATASETS), names),
        "models": (_compile(MODELS), names),
        "metrics": (_compile(METRICS), names),
        "languages": (_compile(lang_names), {"g_" + c: c for c in LANGUAGES}),
    }


# Per-text caches: the verifier tags the same evidence sentence for retrieval, for its checks and
# for its paper's context, and the five big alternations are the costliest regexes of a verdict.
_CACHE = 1 << 16


def _scan(kind: str, text: str) -> list[tuple[int, str]]:
    return [(start, name) for start, _end, name in _spans(kind, text)]


def entity_spans(kind: str, text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of every ``kind`` entity named in ``text``.

    ``kind`` is one of tasks, models, datasets, languages, metrics.
    """
    return list(_spans(kind, text))


@lru_cache(maxsize=_CACHE)
def _spans(kind: str, text: str) -> tuple[tuple[int, int, str], ...]:
    pattern, names = _patterns()[kind]
    # The alias fragments hold no named groups, so the one named group that matched is the
    # match's last closed group: ``lastgroup`` names it without scanning every group.
    return tuple((m.start(), m.end(), names[m.lastgroup]) for m in pattern.finditer(text))  # type: ignore[index]


_CODE_LIST = re.compile(r"\b([a-z]{2,3})(?:\s*(?:,|/|and|-|–|→|->)\s*([a-z]{2,3}))+\b")
_CODE_PAREN = re.compile(r"\(([a-z]{2,3})\)")
_ISO3 = {"cmn": "zh", "swh": "sw", "tur": "tr", "eng": "en", "deu": "de", "fra": "fr"}


def _language_codes(text: str) -> list[str]:
    """Codes in clear code contexts: ``(de)``, ``en-tr``, ``de, fr, sw`` (two or more in a row)."""
    codes: list[str] = []
    for m in _CODE_LIST.finditer(text):
        run = re.findall(r"[a-z]{2,3}", m.group(0))
        run = [r for r in run if r not in {"and"}]
        mapped = [_ISO3.get(r, r) for r in run]
        if len(mapped) >= 2 and all(c in LANGUAGES for c in mapped):
            codes.extend(mapped)
    for m in _CODE_PAREN.finditer(text):
        code = _ISO3.get(m.group(1), m.group(1))
        if code in LANGUAGES and code not in AMBIGUOUS_CODES:
            codes.append(code)
    return codes


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def tag_entities(text: str) -> dict[str, tuple[str, ...]]:
    """Tag the named tasks, models, datasets and languages a text mentions.

    Args:
        text: a sentence or claim.

    Returns:
        ``{"tasks": ..., "models": ..., "datasets": ..., "languages": ...}``, each a tuple of
        canonical names in order of first mention (languages as ISO 639-1 codes).
    """
    return dict(_tags(text))  # a copy: callers may change their dict, never the cache


@lru_cache(maxsize=_CACHE)
def _tags(text: str) -> dict[str, tuple[str, ...]]:
    tasks = [n for _, n in _scan("tasks", text)]
    datasets = [n for _, n in _scan("datasets", text)] + [t for t in tasks if t not in TASK_KINDS]
    languages = [n for _, n in _scan("languages", text)] + _language_codes(text)
    return {
        "tasks": _unique(tasks),
        "models": _unique([n for _, n in _scan("models", text)]),
        "datasets": _unique(datasets),
        "languages": _unique(languages),
    }


def find_metrics(text: str) -> list[tuple[int, str]]:
    """(offset, canonical metric) for every metric named in ``text``."""
    return _scan("metrics", text)


# --- numbers ---------------------------------------------------------------------------------
# A slash only joins a pair of figures ("35.9%/50.8%"); elsewhere it is a date or a fraction.
_NUMBER = re.compile(
    r"(?:(?<=%/)|(?<![\w.\-/@]))(?P<sign>[+\-−±])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e-?\d+)?|\.\d+)"
    r"(?P<unit>\s?(?:%|percent(?:age points?)?|pp\b|p\.p\.|points?\b|pts\b|x\b|×|[kKMB]\b))?"
    r"(?![\w])"
)
# Numbers that name things rather than state results ("Table 2", "section 4", "Eq. (3)",
# "Volume 1"), read case-insensitively; "v" and "V" only as written. (A date's day, "June 1",
# stays a number: a deadline is a checkable fact.)
_REFERENCE = re.compile(
    r"(?<![\w.])(?:(?i:tables?|tabs?\.|figures?|figs?\.|sections?|secs?\.|eqs?\.|equations?|"
    r"appendix|appendices|chapters?|tasks?|subtasks?|tutorials?|options?|steps?|phases?|"
    r"experiments?|exps?\.?|stages?|algorithms?|lines?|pages?|versions?|arxiv:?|labels?|layers?|"
    r"class|volume|vol\.|rows?|columns?)|v|V|§)\s*\(?\s*$"
)
# "Tables 2 and 3", "Sections 4-6", "Eqs. (3) and (4)": a list after a reference word.
_REFERENCE_LIST = re.compile(r"(?:\(?\d+(?:\.\d+)*[a-z]?\)?\s*(?:,|and|or|&|to|–|-)\s*)+\(?\s*$")
# Numbers that name one of several things ("Dataset 1", "prompt 5", "wave 13", "round 2"): a
# small integer after these words is an identifier, not a figure a claim could change.
_IDENTIFIER = re.compile(
    r"(?<![\w.])(?i:datasets?|prompts?|waves?|rounds?|splits?|folds?|settings?|scenarios?|"
    r"groups?|conditions?|subsets?|parts?|levels?)\s*$"
)
# "IWSLT'14", "WMT'21": a year in a venue's name.
_VENUE_YEAR = re.compile(r"[A-Za-z][’']$")
# Families whose versions follow their name with a space ("Claude 3.5", "Gemini 1.5 Pro",
# "Python 3.11", "CUDA 11.8"): names the models registry does not hold with their versions.
_VERSIONED = re.compile(
    r"(?<![\w-])(?:Claude|Gemini|Gemma|Llama|LLaMA|Mistral|Mixtral|Qwen|Phi|Aya|Falcon|DeepSeek|"
    r"OLMo|Command|GPT|ChatGPT|Python|PyTorch|TensorFlow|CUDA|Transformers|spaCy|Ubuntu)"
    r"(?:[ -](?:[1-9]\d?(?:\.\d{1,2})?))?\s$"
)
# A model's size after its version ("Aya 23 8B"): the number before it is a version.
_SIZE_AFTER = re.compile(r"\s+\d+(?:\.\d+)?[MB]\b")
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][\w-]*\s$")
# A venue or a series before a year ("WMT 2021 shared task", "EMNLP 2020"): two capitals.
_VENUE = re.compile(r"(?<![\w-])[A-Z][a-z]*[A-Z][\w-]*\s$")
# A number followed by one of these counts things; it measures no metric.
_COUNT_NOUN = re.compile(
    r"\s*(?:[\w-]+\s)?(?:languages?|tasks?|epochs?|layers?|heads?|examples?|samples?|sentences?|"
    r"papers?|runs?|seeds?|steps?|models?|datasets?|classes|labels?|words?|tokens?|GPUs?|hours?|"
    r"days?|pages?|parameters?|params|items?|pairs?|annotators?|documents?|images?|instances?|"
    r"texts?|paragraphs?|questions?|annotations?|captions?|utterances?|data points?)\b"
)
_UNIT_CANON = {
    "%": "%",
    "percent": "%",
    "pp": "pp",
    "p.p.": "pp",
    "point": "points",
    "pts": "points",
}


def _canon_unit(raw: str | None) -> str | None:
    if not raw:
        return None
    u = raw.strip()
    if u.startswith("percentage point"):
        return "pp"
    if u.startswith("point"):
        return "points"
    if u in ("x", "×"):
        return "x"
    return _UNIT_CANON.get(u, u)


def _is_reference(text: str, start: int, raw_num: str, unit: str | None) -> bool:
    before = text[max(0, start - 14) : start]
    ref = _REFERENCE.search(_REFERENCE_LIST.sub("", text[max(0, start - 40) : start]))
    if not unit and ref:
        # "label 1" names a class; "annotators label 149 phrase pairs" counts them
        return not (ref.group(0).lower().startswith("label") and len(raw_num.split(".")[0]) >= 3)
    if not unit and re.fullmatch(r"\d{1,2}", raw_num) and _IDENTIFIER.search(before):
        return True  # "Dataset 1", "wave 13"
    if not unit and _VENUE_YEAR.search(before):
        return True  # "IWSLT'14"
    if not before.strip() and re.match(r"[.)]\s", text[start + len(raw_num) :]):
        return True  # "2. Mixed-language validation": a list marker
    if not unit and re.fullmatch(r"(19|20)\d\d", raw_num):
        # a year (citations, venues: "WMT 2021"), unless it counts something ("1950 samples")
        return bool(_VENUE.search(before)) or not _COUNT_NOUN.match(text, start + len(raw_num))
    if re.match(r"\s*\)", text[start + len(raw_num) :]) and re.search(r"\(\s*$", before):
        return not unit and "." not in raw_num and len(raw_num) < 2  # "(1)" list markers
    return False


def _name_part(text: str, m: re.Match[str]) -> bool:
    """Whether a number is a version that belongs to a name: after a versioned family ("Claude
    3.5", "Python 3.11", "Gemma 2") or before a model size ("Aya 23 8B"). The size itself stays
    a number ("Gemma 2 9B", "XLM-R Large (550M)"): a claim about the 8B model against evidence
    about the 70B one is a numeric conflict worth reading (and dropping sizes failed the
    calibration keep rule: leave-one-paper-out macro-F1 fell on both tuning sets)."""
    if m.group("sign") or m.group("unit"):
        return False
    before = text[max(0, m.start("num") - 40) : m.start("num")]
    return bool(
        _VERSIONED.search(before)
        or (_CAPITALISED.search(before) and _SIZE_AFTER.match(text, m.end()))
    )


_NUMERIC_CITATION = re.compile(r"\[\s*\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*\]")


def _named_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose digits name things: task, dataset and model names, numeric citations."""
    spans = [
        (a, b) for kind in ("tasks", "datasets", "models") for a, b, _ in entity_spans(kind, text)
    ]
    return spans + [m.span() for m in _NUMERIC_CITATION.finditer(text)]


@lru_cache(maxsize=_CACHE)  # a tuple of frozen records: safe to share
def parse_numbers(text: str) -> tuple[Number, ...]:
    """Parse the numbers a sentence states, with their unit and the metric they measure.

    Years, table/figure/section references and digits inside names ("GPT-2", "L4") are skipped.
    A unit closing a list ("8.2, 7.5, and 7.0 points") is given to every number of the list; the
    metric is the nearest one named in the same clause.

    Args:
        text: a sentence or claim.

    Returns:
        The numbers in order of appearance.
    """
    metrics = find_metrics(text)
    named: list[tuple[int, int]] | None = None  # computed only for a sentence with numbers
    found: list[tuple[int, int, float, str, str | None]] = []
    for m in _NUMBER.finditer(text):
        raw_num, unit = m.group("num"), _canon_unit(m.group("unit"))
        if _is_reference(text, m.start(), raw_num, unit):
            continue
        named = _named_spans(text) if named is None else named
        if any(a <= m.start("num") < b for a, b in named):
            continue  # part of a name ("SQuAD 2.0") or a numeric citation ("[3, 12]")
        if _name_part(text, m):
            continue  # a version in a name ("Claude 3.5", "Aya 23 8B")
        value = float(raw_num.replace(",", ""))
        if m.group("sign") in ("-", "−"):
            value = -value
        found.append((m.start(), m.end(), value, m.group(0).strip(), unit))
    counts = {i for i, f in enumerate(found) if _COUNT_NOUN.match(text, f[1]) and not f[4]}
    # A unit at the end of a list applies to the whole list.
    for i in range(len(found) - 2, -1, -1):
        gap = text[found[i][1] : found[i + 1][0]]
        if (
            found[i][4] is None
            and found[i + 1][4]
            and re.fullmatch(r"\s*(,|and|, and|or|/)\s*", gap)
        ):
            found[i] = (*found[i][:4], found[i + 1][4])
    return tuple(
        Number(
            value=v,
            raw=raw,
            unit=u,
            metric=None if i in counts else _nearest_metric(text, s, e, metrics),
        )
        for i, (s, e, v, raw, u) in enumerate(found)
    )


def _nearest_metric(text: str, start: int, end: int, metrics: list[tuple[int, str]]) -> str | None:
    best, best_dist = None, 60
    for pos, name in metrics:
        lo, hi = (pos, start) if pos < start else (end, pos)
        if ";" in text[lo:hi]:
            continue  # another clause
        dist = start - pos if pos < start else pos - end
        if dist < best_dist:
            best, best_dist = name, dist
    return best
