"""Is a claim in English? Script first, then function words of English against other languages.

The verifier's models and checks are English-only, so a claim in another language gets a clear
"not in English" instead of a verdict drawn from English sentences it cannot match. Short or
technical claims often carry few function words ("GPT-4 produces even more diverse paraphrases
than gpt-3.5-turbo."), so a Latin-script claim counts as English unless another language's
function words outnumber English ones; the other lists leave out words English spells the same
way ("in", "a", "die"), so a tie goes to English.
"""

from __future__ import annotations

import re

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is a an for on that with by as are was were be been being we our from "
        "this these those than then more most less least even only also not no nor or but if it "
        "its into over under between across about after before while when where which who whom "
        "whose what how why all any each both few many much some such very can could may might "
        "must should would will shall do does did has have had there their they them he she his "
        "her at up down out so too yet per via against among within without".split()
    ),
    "de": frozenset(
        "der das dem den des ein eine einer eines einem und ist sind nicht mit von auf für zu "
        "im auch sich dass wird werden wurde als bei oder aus nach über zum zur".split()
    ),
    "fr": frozenset(
        "le la les un une des du et est sont pas avec pour sur dans par que qui au aux ce cette "
        "ces plus sa son ses leur été être".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas y es son con para por del al que en su sus se lo más "
        "como pero este esta".split()
    ),
    "it": frozenset(
        "il lo la gli le un una e è sono con per del della dei delle che non nel nella si più "
        "come questo questa".split()
    ),
    "pt": frozenset(
        "o os as um uma e é são com para por do da dos das que não no na em se mais como este "
        "esta".split()
    ),
    "nl": frozenset(
        "de het een en is zijn met voor van op dat niet ook als bij worden wordt door naar".split()
    ),
    "id": frozenset("yang dan di ini itu dengan untuk dari pada tidak adalah dalam akan".split()),
    "tr": frozenset("ve bir bu için ile olan da de çok daha gibi olarak değil".split()),
    "sw": frozenset("na ya wa kwa ni za la katika kwamba hii huo pia".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str) -> str | None:
    """'en', another language code, or None (not Latin script, or no letters at all)."""
    letters = list(filter(str.isalpha, text))
    if not letters:
        return None
    if not text.isascii():  # an all-ASCII text is all Latin letters: skip the count (hot path)
        latin = sum(c.isascii() or "À" <= c <= "ž" for c in letters)
        if latin / len(letters) < 0.85:
            return None
    words = [w.lower() for w in _WORD.findall(text)]
    hits = {lang: sum(map(vocab.__contains__, words)) for lang, vocab in FUNCTION_WORDS.items()}
    other = max((lang for lang in hits if lang != "en"), key=hits.__getitem__)
    return other if hits[other] > hits["en"] else "en"


def looks_english(text: str) -> bool:
    """Whether a claim is English (Latin script; English function words not outnumbered)."""
    return guess_language(text) == "en"
