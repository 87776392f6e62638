"""Which local file serves which (task, split, language): one explicit registry.

``kind`` tells apart real data (``full``: the whole upstream file; ``subset``: a real but partial
copy, such as XQuAD's 153-question excerpt) from ``fixture`` files (1-5 items), which are used only
when a caller asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from replicate import data_fixtures as fx
from replicate import data_local as loc
from replicate.tasks import (
    AMERICASNLI_LANGS,
    PAWSX_LANGS,
    TATOEBA_CODES,
    XCOPA_LANGS,
    XNLI_LANGS,
)

Reader = Callable[[Path, str, str], object]


@dataclass(frozen=True)
class LocalSource:
    """Where one task split lives locally and how to read it."""

    languages: tuple[str, ...]
    reader: Reader
    kind: str = "full"  # full | subset | fixture
    description: str = ""


def _en(reader: Reader, kind: str = "full", description: str = "") -> LocalSource:
    return LocalSource(("en",), reader, kind, description)


def _splits(source: LocalSource, *splits: str) -> dict[str, LocalSource]:
    return dict.fromkeys(splits, source)


XQUAD_LOCAL = ("ar", "de", "el", "en", "es", "hi", "ro", "ru", "th", "tr", "vi", "zh")
WIKIANN_LOCAL = ("en", "kk", "mr", "qu", "sw", "ta", "te", "tl", "ur", "yo")

LOCAL_SOURCES: dict[str, dict[str, LocalSource]] = {
    # --- English intermediate tasks
    "snli": {
        "train": _en(fx.read_snli_fixture, "fixture", "SNLI 1.0 train excerpt"),
        "validation": _en(loc.read_snli, description="e-SNLI copy of SNLI dev (9,842)"),
        "test": _en(loc.read_snli, description="e-SNLI copy of SNLI test (9,824)"),
    },
    "mnli": _splits(_en(fx.read_jiant_mnli, "fixture", "jiant test fixture"), "train", "validation"),
    "anli": _splits(_en(fx.read_anli_fixture, "fixture"), "train", "validation", "test"),
    "qqp": _splits(_en(fx.read_qqp_fixture, "fixture"), "train", "validation"),
    "hellaswag": _splits(_en(fx.read_hellaswag_fixture, "fixture"), "train", "validation"),
    "sst2": _splits(_en(loc.read_sst2, description="forest-snow/alps split"), "train", "validation", "test"),
    "socialiqa": _splits(_en(loc.read_socialiqa), "train", "validation"),
    "copa": _splits(_en(fx.read_copa_fixture, "fixture"), "train", "validation"),
    "cosmosqa": {"validation": _en(loc.read_cosmosqa, description="Cosmos QA dev (2,985)")},
    "commonsenseqa": {"validation": _en(loc.read_commonsenseqa, description="dev (1,221)")},
    # --- Classification targets
    "xnli": {
        "validation": LocalSource(XNLI_LANGS + ("my",), loc.read_xnli, description="XTREME dev"),
        "test": LocalSource(("de", "sw", "ur", "my"), loc.read_xnli, description="myXNLI, XGLUE"),
    },
    "americasnli": _splits(LocalSource(AMERICASNLI_LANGS, loc.read_americasnli), "validation", "test"),
    "pawsx": {
        "train": LocalSource(PAWSX_LANGS, loc.read_pawsx, "fixture", "HF excerpt"),
        "validation": LocalSource(("de",), loc.read_pawsx, description="XGLUE German dev"),
        "test": LocalSource(("de",), loc.read_pawsx, description="XGLUE German test"),
    },
    "xcopa": _splits(LocalSource(XCOPA_LANGS, loc.read_xcopa), "validation", "test"),
    # --- QA, tagging, retrieval
    "mlqa": {
        "validation": _en(loc.read_mlqa_en, description="MLQA en-en dev in SQuAD format (1,148)"),
        # The other hub excerpts are context-en-question-{lang} (cross-lingual G-XLT), not the
        # same-language pairs XTREME scores, so only English is registered.
        "test": _en(fx.read_mlqa_fixture, "fixture"),
    },
    "xquad": {"test": LocalSource(XQUAD_LOCAL, loc.read_xquad, "subset", "153 QAs per language")},
    "tydiqa": {  # the excerpt holds one Arabic dev and two Finnish train questions
        "train": LocalSource(("fi",), fx.read_tydiqa_fixture, "fixture"),
        "test": LocalSource(("ar",), fx.read_tydiqa_fixture, "fixture"),
    },
    "wikiann": _splits(
        LocalSource(WIKIANN_LOCAL, fx.read_wikiann_fixture, "fixture"), "train", "validation", "test"
    ),
    "tatoeba": {"test": LocalSource(tuple(TATOEBA_CODES), loc.read_tatoeba, description="LASER v1")},
}  # fmt: skip


def local_source(
    task: str, split: str, lang: str, allow_fixtures: bool = False
) -> LocalSource | None:
    """The local source of one (task, split, lang), or None when there is none usable."""
    source = LOCAL_SOURCES.get(task, {}).get(split)
    if source is None or lang not in source.languages:
        return None
    if source.kind == "fixture" and not allow_fixtures:
        return None
    return source
