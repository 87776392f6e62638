"""Numbers a sentence states in words or as shares: "eight pages", "three quarters" (75%), "331
samples out of 1950" (16.97%), "four out of five" (80%); and the distinctive figures of a text as
exact keys for looking sentences up. ``synth.numchecks`` reads them with the parsed numbers.
"""

from __future__ import annotations

import re

from synth.records import Number

# The tens in words ("forty", "eighty"): numbers of their own, and the first half of "forty-four".
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_TENS |= {"eighty": 80, "ninety": 90}
# Spelled-out numbers ("eight pages", "three epochs"); "one" is left out (mostly a pronoun).
NUMBER_WORDS: dict[str, int] = (
    {
        w: i + 2
        for i, w in enumerate(
            "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
            " sixteen seventeen eighteen nineteen".split()
        )
    }
    | _TENS
    | {"hundred": 100, "thousand": 1000}
)
# The lookahead (a word's first letter) skips, fast, the words no number word starts like.
_NUMBER_WORD = re.compile(
    r"\b(?=[" + "".join(sorted({w[0] for w in NUMBER_WORDS})) + r"])(" + "|".join(NUMBER_WORDS)
    + r")\b(?!-)",
    re.I,
)  # fmt: skip


_FRACTION = re.compile(
    r"\b(a|one|two|three|four)[ -](quarters?|thirds?|fifths?|tenths?)\b(?! of a (?:[\w-]+ )?point)",
    re.I,
)
# "a quarter of a BLEU point", "half a point": a share of one point is a difference of 0.25
# points, not 25 % of something.
_POINT_SHARE = re.compile(
    r"\b(?:(a|one|two|three|four)[ -](quarters?|thirds?|fifths?|tenths?) of|(half)) a "
    r"(?:[\w-]+ )?points?\b",
    re.I,
)
# "three hundred thousand", "ten thousand", "one million": number words that scale one another
# are one number (read word by word they were 3, 100 and 1000, none of them the figure).
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
# Units and tens after "hundred" ("four hundred and fifty", "one hundred seventy thousand",
# "a hundred and twenty-one"): one number, not 400 and 50.
_BELOW_100 = (
    rf"(?:(?:{'|'.join(_TENS)})-(?:one|two|three|four|five|six|seven|eight|nine)|one|"
    + "|".join(w for w in NUMBER_WORDS if w not in _SCALES)
    + ")"
)
_COMPOUND = re.compile(
    r"\b(?:(?:a|one|" + "|".join(w for w in NUMBER_WORDS if w not in _SCALES) + r")[ -])?"
    rf"(?:hundred (?:(?:and )?{_BELOW_100} )?)?(?:thousand|million|billion)\b|\b(?:a|one|"
    + "|".join(w for w in NUMBER_WORDS if w not in _SCALES)
    + rf") hundred(?: (?:and )?{_BELOW_100}\b(?!-))?\b",
    re.I,
)
# "half a thousand", "one and a half million": a half of a scale word (read as the scale word
# alone it was 1,000 or 1 million).
_HALF_SCALE = re.compile(
    r"\b(?:(a|one|" + "|".join(w for w in NUMBER_WORDS if w not in _SCALES) + r") and a half"
    r"|half an?) (hundred|thousand|million|billion)\b",
    re.I,
)
# "forty-four", "ninety-nine": tens and units in one word (read word by word it was the units).
_UNITS = {"one": 1} | {w: v for w, v in NUMBER_WORDS.items() if v < 10}
_TENS_UNITS = re.compile(
    rf"\b({'|'.join(_TENS)})-({'|'.join(_UNITS)})\b(?: (?:hundred )?(?:thousand|million|billion)\b)?",
    re.I,
)
# "half of the blocks", "half the languages"; a change "by (about) half", a split "in half".
_HALF = re.compile(
    r"(?:\bhalf(?= of\b| the\b)|"
    r"(?:(?<=\bin )|(?<=\bby )|(?<=\babout )|(?<=\bnearly )|(?<=\balmost ))half\b(?! a\b))",
    re.I,
)
# A multiple in one word: "twice as long", "roughly doubled", "halves the error" (a ratio of 2).
# ("trained twice on the same data" repeats, "twice as long" multiplies).
_MULTIPLE = re.compile(
    r"\b(?:(?:twice|thrice)(?=\s+(?:as|the|that|those|its|their|[a-z]+er)\b)"
    r"|(?:doubl|tripl|halv)(?:es|ed|ing)\b)",
    re.I,
)
_MULTIPLES = {"tw": 2.0, "th": 3.0, "do": 2.0, "tr": 3.0, "ha": 2.0}
_FRACTIONS = {"quarter": 25.0, "third": 100 / 3, "fifth": 20.0, "tenth": 10.0}
# A share as counts: "331 samples out of 1950", "four out of five", "one in ten".
_SPELLED = "|".join(NUMBER_WORDS) + "|one"
# The lookahead only skips, fast, the words that start with no digit and no first letter of a
# number word: tried at every word, the alternation of words was the slowest regex of a verdict.
_FIRST = "".join(sorted({w[0] for w in (*NUMBER_WORDS, "one")}))
# (Not a decimal's last digits: "7.5 out of 10" is a score on a scale, not a share of counts.)
_RATIO = re.compile(
    rf"\b(?<!\d\.)(?=[\d{_FIRST}])(\d[\d,]*|{_SPELLED}) (?:(?:[a-z-]+ ){{0,2}}out of(?: the)?|in) "
    rf"(\d[\d,]*|{_SPELLED})\b",
    re.I,
)


# "one subtitle in forty": the idiom names the counted thing between (only after "one": "two
# models in four languages" is no share).
_ONE_IN = re.compile(rf"\b(one) [a-z-]+ in ({_SPELLED})\b", re.I)


def _ratios(text: str) -> list[re.Match[str]]:
    return [*_RATIO.finditer(text), *_ONE_IN.finditer(text)]


def _count(word: str) -> float:
    low = word.lower()
    return 1.0 if low == "one" else float(NUMBER_WORDS.get(low) or low.replace(",", ""))


def _ratio_numbers(ratios: list[re.Match[str]]) -> tuple[Number, ...]:
    """Shares stated as counts (the matches of :func:`_ratios`), as percentages: "331 samples out
    of 1950" -> 16.97%, "four out of five" -> 80%, "one in ten" -> 10% (a claim rounds them:
    "about 17%", "79%")."""
    out = []
    for m in ratios:
        part, whole = _count(m.group(1)), _count(m.group(2))
        if 0 < part < whole:
            out.append(Number(value=round(100 * part / whole, 2), raw=m.group(0), unit="%"))
    return tuple(out)


def ratio_whole(raw: str) -> float | None:
    """The whole a share stated as counts is of: "eight out of ten" -> 10, "331 samples out of
    1950" -> 1950, "one in ten" -> 10; None for any other figure ("80%", "three quarters")."""
    m = _RATIO.fullmatch(raw) or _ONE_IN.fullmatch(raw)
    return _count(m.group(2)) if m else None


def _share(m: re.Match[str]) -> float:
    """A fraction in words as a percentage: "three quarters" -> 75, "a fifth" -> 20."""
    count = 1 if m.group(1).lower() in ("a", "one") else NUMBER_WORDS[m.group(1).lower()]
    return count * _FRACTIONS[m.group(2).lower().rstrip("s")]


def _compound_value(words: str) -> float:
    """The value of number words that scale one another ("three hundred thousand" -> 300000)."""
    total = current = 0
    for word in re.split(r"[ -]", words.lower()):
        if word == "and":
            continue
        if word in ("a", "one"):
            current += 1
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total, current = total + max(current, 1) * _SCALES[word], 0
        else:
            current += NUMBER_WORDS.get(word) or _TENS.get(word) or _UNITS[word]
    return float(total + current)


def _half_scale(m: re.Match[str]) -> float:
    """ "half a thousand" -> 500, "one and a half million" -> 1,500,000."""
    whole = (m.group(1) or "").lower()
    count = {"": 0, "a": 1, "one": 1, **NUMBER_WORDS}[whole]
    return (count + 0.5) * _SCALES[m.group(2).lower()]


def extra_numbers(text: str) -> tuple[Number, ...]:
    """Counts the number parser leaves out: spelled-out numbers ("eight pages", "forty-four
    questions"), fractions in words as percentages ("three quarters" = 75%), and multiples in one
    word ("twice" = 2x)."""
    fractions = [
        (m, Number(value=round(_share(m), 1), raw=m.group(0), unit="%"))
        for m in _FRACTION.finditer(text)
    ]
    # "about half of the blocks", "half the languages": a share (not "the first half of")
    fractions += [
        (m, Number(value=50.0, raw=m.group(0), unit="%"))
        for m in _HALF.finditer(text)
        if not re.search(
            r"\b(?:first|second|last|other|latter|former)\s+$", text[: m.start()], re.I
        )
    ]
    fractions += [
        (m, Number(value=0.5 if m.group(3) else round(_share(m) / 100, 3), raw=m.group(0),
                   unit="points"))
        for m in _POINT_SHARE.finditer(text)
    ]  # fmt: skip
    # A compound the digits already state ("82 thousand") is read with them by numchecks.
    compounds = [m for m in _COMPOUND.finditer(text) if not re.search(r"\d\s*$", text[: m.start()])]
    tens = [
        (m, Number(value=_compound_value(m.group(0)), raw=m.group(0)))
        for m in _TENS_UNITS.finditer(text)
        # the last words of a compound ("four hundred and forty-four") are no number of their own
        if not any(c.start() < m.start() < c.end() for c in compounds)
    ]
    fractions += tens
    halves = [(m, Number(value=_half_scale(m), raw=m.group(0))) for m in _HALF_SCALE.finditer(text)]
    fractions += halves
    tens += halves  # the scale word inside is no number of its own
    fractions += [
        (m, Number(value=_compound_value(m.group(0)), raw=m.group(0)))
        for m in compounds
        if not any(t.start() <= m.start() < t.end() for t, _ in tens)
    ]
    fractions += [
        (m, Number(value=_MULTIPLES[m.group(0)[:2].lower()], raw=m.group(0), unit="x"))
        for m in _MULTIPLE.finditer(text)
    ]
    ratios = _ratios(text)
    taken = [m.span() for m, _ in fractions] + [m.span() for m in ratios]
    return (
        tuple(n for _, n in fractions)
        + _ratio_numbers(ratios)
        + tuple(
            Number(value=float(NUMBER_WORDS[m.group(1).lower()]), raw=m.group(1))
            for m in _NUMBER_WORD.finditer(text)
            if not re.search(r"\d\s*$", text[: m.start()])  # "82 thousand" is one number
            and not any(a <= m.start() < b for a, b in taken)
        )
    )


_NUMBER_TOKEN = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def number_keys(text: str) -> frozenset[str]:
    """The distinctive numbers a text states (three significant digits or more: "72.36",
    "10,636" -> "10636", "0.5074", "5,000" -> "5000"), as exact keys for looking sentences up."""
    keys = set()
    for m in _NUMBER_TOKEN.finditer(text):
        raw = m.group(0).rstrip(",").replace(",", "")
        if sum(ch.isdigit() for ch in raw.lstrip("0.")) >= 3:
            keys.add(raw)
    return frozenset(keys)
