"""The task registry: every task claimlab can train on or evaluate, written out in one dict.

``TASKS[name]`` is a frozen :class:`TaskSpec`. Intermediate tasks are English-only; target tasks list
the languages of XTREME and XTREME-R exactly as google-research/xtreme's scorer does (its
``TASK2LANGS``). Loading lives in :mod:`replicate.data`, scoring in :mod:`replicate.metrics`.

Label order is shared across datasets of one kind: every NLI task uses
``entailment, neutral, contradiction`` (the order of the hub's SNLI/MNLI/XNLI/AmericasNLI), so a head
trained on SNLI predicts XNLI labels without remapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from replicate.records import TaskFormat

Group = Literal["classification", "structured prediction", "question answering", "retrieval"]
Role = Literal["intermediate", "target"]

NLI_LABELS = ("entailment", "neutral", "contradiction")
NER_LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
UPOS_LABELS = (
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
)  # fmt: skip


@dataclass(frozen=True)
class TaskSpec:
    """One task: where its data comes from, its languages, how it is scored and trained.

    Attributes:
        name: Registry key.
        format: Record type of its examples (see replicate.records.TaskFormat).
        group: XTREME-R task group (classification / structured prediction / question answering /
            retrieval); intermediate tasks get the group of their format.
        role: ``intermediate`` (English task used in phase 2) or ``target`` (evaluated zero-shot).
        hf_id: Hugging Face dataset id; None when the data is not on the hub (CCGbank).
        hf_config: Dataset config; ``{lang}`` is replaced by ``hf_lang_names.get(lang, lang)``.
        hf_splits: Our split name (train / validation / test) -> the hub's split expression.
        languages: Every evaluation language (XTREME-R list where the task is in XTREME-R).
        benchmark_languages: The exact per-benchmark lists (``xtreme``, ``xtreme-r``).
        lang_codes: XTREME 2-letter code -> dataset code where they differ (Tatoeba: ISO 639-3
            LASER codes such as ``cmn`` for zh and ``swh`` for sw).
        hf_lang_names: Language -> token used in hub configs/ids (UD-POS ``English``, TyDiQA ``english``).
        metrics: Official metric names the scorer reports for it.
        primary_metric: The one metric a claim about this task refers to.
        max_length: Token limit (jiant: 256 classification/tagging, 384 QA).
        label_names: Class names in label-id order (tagging: the tag set); empty for QA/retrieval.
        num_choices: Answer options per item for multiple choice.
        english_train: Tasks whose English training data trains it, in phase order
            (XNLI <- mnli; XQuAD/MLQA <- squad; XCOPA <- socialiqa then copa). Empty: not trained.
        offline_standin: ``(task, lang)`` whose local data stands in offline when this task's own
            data is not local (SNLI for MNLI, MLQA-en for SQuAD, Social IQa for COPA).
        xtreme_name: Folder name the official scorer reads (``test-{lang}.tsv|json`` inside it).
        epochs: jiant's target-phase epochs (intermediate: 3).
        grad_accum: jiant's gradient accumulation (8; 4 for QA).
        note: Why something is as it is (a differing count, a missing source).
    """

    name: str
    format: TaskFormat
    group: Group
    role: Role
    hf_id: str | None
    hf_config: str | None = None
    hf_splits: dict[str, str] = field(
        default_factory=lambda: {"train": "train", "validation": "validation", "test": "test"}
    )
    languages: tuple[str, ...] = ("en",)
    benchmark_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lang_codes: dict[str, str] = field(default_factory=dict)
    hf_lang_names: dict[str, str] = field(default_factory=dict)
    metrics: tuple[str, ...] = ("accuracy",)
    primary_metric: str = "accuracy"
    max_length: int = 256
    label_names: tuple[str, ...] = ()
    num_choices: int = 0
    english_train: tuple[str, ...] = ()
    offline_standin: tuple[str, str] | None = None
    xtreme_name: str | None = None
    epochs: float = 3.0
    grad_accum: int = 8
    note: str = ""

    def __hash__(self) -> int:
        # The dict fields make the generated hash fail; a task is identified by its name.
        return hash(self.name)

    @property
    def num_labels(self) -> int:
        """Number of classes (tag set size for tagging; 0 for QA and retrieval)."""
        return len(self.label_names)

    def dataset_code(self, lang: str) -> str:
        """The dataset's own code for an XTREME language code (``zh`` -> ``cmn`` for Tatoeba)."""
        return self.lang_codes.get(lang, lang)

    def config_for(self, lang: str) -> str | None:
        """The hub config for one language, e.g. ``facebook/xnli`` + ``sw`` -> ``sw``."""
        if self.hf_config is None:
            return None
        token = self.hf_lang_names.get(lang, self.dataset_code(lang))
        return self.hf_config.format(lang=token)


def _langs(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


# Language lists as google-research/xtreme's scorer and XTREME-R define them.
XNLI_LANGS = _langs("ar,bg,de,el,en,es,fr,hi,ru,sw,th,tr,ur,vi,zh")
PAWSX_LANGS = _langs("de,en,es,fr,ja,ko,zh")
UDPOS_XTREME = _langs(
    "af,ar,bg,de,el,en,es,et,eu,fa,fi,fr,he,hi,hu,id,it,ja,kk,ko,mr,nl,pt,ru,ta,te,th,tl,tr,ur,vi,yo,zh"
)
# XTREME-R moved to UD v2.7 and added lt, pl, ro, uk, wo (38 codes; ANCHORS.md counts 37).
UDPOS_XTREME_R = _langs(
    "af,ar,bg,de,el,en,es,et,eu,fa,fi,fr,he,hi,hu,id,it,ja,kk,ko,lt,mr,nl,pl,pt,ro,ru,ta,te,th,tl,"
    "tr,uk,ur,vi,wo,yo,zh"
)
PANX_LANGS = _langs(
    "ar,he,vi,id,jv,ms,tl,eu,ml,ta,te,af,nl,en,de,el,bn,hi,mr,ur,fa,fr,it,pt,es,bg,ru,ja,ka,ko,th,"
    "sw,yo,my,zh,kk,tr,et,fi,hu"
)
WIKIANN_LANGS = PANX_LANGS + _langs("qu,pl,uk,az,lt,pa,gu,ro")  # XTREME-R: 48
XQUAD_XTREME = _langs("en,es,de,el,ru,tr,ar,vi,th,zh,hi")
XQUAD_XTREME_R = XQUAD_XTREME + ("ro",)
MLQA_LANGS = _langs("en,es,de,ar,hi,vi,zh")
TYDIQA_LANGS = _langs("en,ar,bn,fi,id,ko,ru,sw,te")
BUCC_LANGS = _langs("de,fr,ru,zh")
XCOPA_LANGS = _langs("et,ht,id,it,qu,sw,ta,th,tr,vi,zh")
MEWSLIX_LANGS = _langs("ar,de,en,es,fa,ja,pl,ro,ta,tr,uk")
LAREQA_LANGS = _langs("ar,de,el,en,es,hi,ru,th,tr,vi,zh")
AMERICASNLI_LANGS = _langs("aym,bzd,cni,gn,hch,nah,oto,quy,shp,tar")

# Tatoeba: XTREME code -> LASER ISO 639-3 code of the test files (``tatoeba.{code}-eng.*``).
TATOEBA_CODES = {
    "ar": "ara", "he": "heb", "vi": "vie", "id": "ind", "jv": "jav", "tl": "tgl", "eu": "eus",
    "ml": "mal", "ta": "tam", "te": "tel", "af": "afr", "nl": "nld", "de": "deu", "el": "ell",
    "bn": "ben", "hi": "hin", "mr": "mar", "ur": "urd", "fa": "pes", "fr": "fra", "it": "ita",
    "pt": "por", "es": "spa", "bg": "bul", "ru": "rus", "ja": "jpn", "ka": "kat", "ko": "kor",
    "th": "tha", "sw": "swh", "zh": "cmn", "kk": "kaz", "tr": "tur", "et": "est", "fi": "fin",
    "hu": "hun", "az": "aze", "lt": "lit", "pl": "pol", "uk": "ukr", "ro": "ron",
}  # fmt: skip
TATOEBA_XTREME = tuple(list(TATOEBA_CODES)[:36])
TATOEBA_XTREME_R = tuple(TATOEBA_CODES)  # + az lt pl uk ro = 41

# Config tokens of google/xtreme's udpos.* configs (its Afrikaans config is spelt "Afrikans").
UDPOS_NAMES = {
    "af": "Afrikans", "ar": "Arabic", "bg": "Bulgarian", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "kk": "Kazakh", "ko": "Korean",
    "lt": "Lithuanian", "mr": "Marathi", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "ta": "Tamil", "te": "Telugu", "th": "Thai",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "wo": "Wolof", "yo": "Yoruba", "zh": "Chinese",
}  # fmt: skip
TYDIQA_NAMES = {
    "en": "english", "ar": "arabic", "bn": "bengali", "fi": "finnish", "id": "indonesian",
    "ko": "korean", "ru": "russian", "sw": "swahili", "te": "telugu",
}  # fmt: skip

_QA = {"metrics": ("f1", "exact_match"), "primary_metric": "f1", "max_length": 384}
_SEQEVAL = {"metrics": ("f1", "precision", "recall"), "primary_metric": "f1"}
_MAP = {"metrics": ("map@20",), "primary_metric": "map@20"}
_VAL_ONLY = {"validation": "validation"}


def _intermediate() -> dict[str, TaskSpec]:
    mc, cls = "multiple_choice", "classification"
    return {
        "anli": TaskSpec(
            "anli", "pair_classification", cls, "intermediate", "facebook/anli",
            hf_splits={"train": "train_r1+train_r2+train_r3", "validation": "dev_r1+dev_r2+dev_r3",
                       "test": "test_r1+test_r2+test_r3"},
            label_names=NLI_LABELS, offline_standin=("snli", "en"),
            note="All three rounds concatenated, as jiant's adversarial_nli task.",
        ),
        "ccg": TaskSpec(
            "ccg", "tagging", "structured prediction", "intermediate", None,
            note="CCGbank is LDC-licensed and not on the hub; jiant reads it from local files.",
        ),
        "commonsenseqa": TaskSpec(
            "commonsenseqa", mc, cls, "intermediate", "tau/commonsense_qa", num_choices=5,
        ),
        "copa": TaskSpec(
            "copa", mc, cls, "intermediate", "aps/super_glue", hf_config="copa", num_choices=2,
            offline_standin=("socialiqa", "en"),
            note="English COPA: second phase of the XCOPA baseline (SIQA then COPA).",
        ),
        "cosmosqa": TaskSpec("cosmosqa", mc, cls, "intermediate", "allenai/cosmos_qa", num_choices=4),
        "hellaswag": TaskSpec("hellaswag", mc, cls, "intermediate", "Rowan/hellaswag", num_choices=4),
        "mnli": TaskSpec(
            "mnli", "pair_classification", cls, "intermediate", "nyu-mll/glue", hf_config="mnli",
            hf_splits={"train": "train", "validation": "validation_matched",
                       "test": "validation_mismatched"},
            label_names=NLI_LABELS, offline_standin=("snli", "en"),
            note="GLUE test labels are hidden: 'test' here is the labelled mismatched dev set.",
        ),
        "qqp": TaskSpec(
            "qqp", "pair_classification", cls, "intermediate", "nyu-mll/glue", hf_config="qqp",
            hf_splits={"train": "train", "validation": "validation"},
            label_names=("not_duplicate", "duplicate"),
        ),
        "snli": TaskSpec(
            "snli", "pair_classification", cls, "intermediate", "stanfordnlp/snli",
            label_names=NLI_LABELS,
            note="Offline: e-SNLI's copy of SNLI dev/test (no train); items without a gold label dropped.",
        ),
        "socialiqa": TaskSpec(
            "socialiqa", mc, cls, "intermediate", "allenai/social_i_qa",
            hf_splits={"train": "train", "validation": "validation"}, num_choices=3,
        ),
        "squad": TaskSpec(
            "squad", "qa", "question answering", "intermediate", "rajpurkar/squad",
            hf_splits={"train": "train", "validation": "validation"},
            offline_standin=("mlqa", "en"), **_QA,
            note="SQuAD v1.1. Offline stand-in: MLQA en-en dev (1,148 QAs) in SQuAD format.",
        ),
        "sst2": TaskSpec(
            "sst2", "classification", cls, "intermediate", "nyu-mll/glue", hf_config="sst2",
            hf_splits={"train": "train", "validation": "validation"},
            label_names=("negative", "positive"),
            note="Offline (forest-snow/alps split): train 60,614, validation 6,735 held out of GLUE "
            "train, test 872 = GLUE dev.",
        ),
    }  # fmt: skip


def _targets_classification() -> dict[str, TaskSpec]:
    cls = "classification"
    return {
        "xnli": TaskSpec(
            "xnli", "pair_classification", cls, "target", "facebook/xnli", hf_config="{lang}",
            languages=XNLI_LANGS, benchmark_languages={"xtreme": XNLI_LANGS, "xtreme-r": XNLI_LANGS},
            label_names=NLI_LABELS, english_train=("mnli",), xtreme_name="xnli", epochs=2,
        ),
        "pawsx": TaskSpec(
            "pawsx", "pair_classification", cls, "target", "google-research-datasets/paws-x",
            hf_config="{lang}", languages=PAWSX_LANGS, benchmark_languages={"xtreme": PAWSX_LANGS},
            label_names=("0", "1"), english_train=("pawsx",), xtreme_name="pawsx", epochs=5,
        ),
        "xcopa": TaskSpec(
            "xcopa", "multiple_choice", cls, "target", "cambridgeltl/xcopa", hf_config="{lang}",
            hf_splits={"validation": "validation", "test": "test"},
            languages=XCOPA_LANGS, benchmark_languages={"xtreme-r": XCOPA_LANGS}, num_choices=2,
            english_train=("socialiqa", "copa"), xtreme_name="xcopa", epochs=2,
            note="XTREME-R baseline: Social IQa, then English COPA, then zero-shot XCOPA.",
        ),
        "americasnli": TaskSpec(
            "americasnli", "pair_classification", cls, "target", "americasnlp/americas_nli",
            hf_config="{lang}", hf_splits={"validation": "validation", "test": "test"},
            languages=AMERICASNLI_LANGS, label_names=NLI_LABELS, english_train=("mnli",),
            xtreme_name="americasnli", epochs=2,
            note="Not an XTREME task: 10 indigenous languages of the Americas, unseen by XLM-R.",
        ),
    }  # fmt: skip


def _targets_structured() -> dict[str, TaskSpec]:
    sp = "structured prediction"
    return {
        "udpos": TaskSpec(
            "udpos", "tagging", sp, "target", "google/xtreme", hf_config="udpos.{lang}",
            languages=UDPOS_XTREME_R, hf_lang_names=UDPOS_NAMES,
            benchmark_languages={"xtreme": UDPOS_XTREME, "xtreme-r": UDPOS_XTREME_R},
            label_names=UPOS_LABELS, english_train=("udpos",), xtreme_name="udpos", epochs=10,
            note="seqeval on POS tags, as the official scorer does. The hub's google/xtreme holds "
            "the XTREME (UD v2.5) languages; lt/pl/ro/uk/wo need UD v2.7 files.",
            **_SEQEVAL,
        ),
        "panx": TaskSpec(
            "panx", "tagging", sp, "target", "google/xtreme", hf_config="PAN-X.{lang}",
            languages=PANX_LANGS, benchmark_languages={"xtreme": PANX_LANGS},
            label_names=NER_LABELS, english_train=("panx",), xtreme_name="panx", epochs=10,
            **_SEQEVAL,
        ),
        "wikiann": TaskSpec(
            "wikiann", "tagging", sp, "target", "unimelb-nlp/wikiann", hf_config="{lang}",
            languages=WIKIANN_LANGS, benchmark_languages={"xtreme-r": WIKIANN_LANGS},
            label_names=NER_LABELS, english_train=("wikiann",), xtreme_name="panx", epochs=10,
            note="XTREME-R's name for PAN-X (Rahimi et al. splits), 48 languages.",
            **_SEQEVAL,
        ),
    }  # fmt: skip


def _targets_qa_retrieval() -> dict[str, TaskSpec]:
    qa, rt = "question answering", "retrieval"
    return {
        "xquad": TaskSpec(
            "xquad", "qa", qa, "target", "google/xquad", hf_config="xquad.{lang}",
            hf_splits={"test": "validation"}, languages=XQUAD_XTREME_R,
            benchmark_languages={"xtreme": XQUAD_XTREME, "xtreme-r": XQUAD_XTREME_R},
            english_train=("squad",), xtreme_name="xquad", epochs=2, grad_accum=4, **_QA,
        ),
        "mlqa": TaskSpec(
            "mlqa", "qa", qa, "target", "facebook/mlqa", hf_config="mlqa.{lang}.{lang}",
            languages=MLQA_LANGS, benchmark_languages={"xtreme": MLQA_LANGS, "xtreme-r": MLQA_LANGS},
            hf_splits={"validation": "validation", "test": "test"},
            english_train=("squad",), xtreme_name="mlqa", epochs=2, grad_accum=4, **_QA,
        ),
        "tydiqa": TaskSpec(
            "tydiqa", "qa", qa, "target", "google-research-datasets/tydiqa",
            hf_config="secondary_task", hf_splits={"train": "train", "test": "validation"},
            languages=TYDIQA_LANGS, hf_lang_names=TYDIQA_NAMES,
            benchmark_languages={"xtreme": TYDIQA_LANGS, "xtreme-r": TYDIQA_LANGS},
            english_train=("tydiqa",), xtreme_name="tydiqa", epochs=2, grad_accum=4,
            note="TyDiQA-GoldP; languages share one config, split by the id prefix (english-...).",
            **_QA,
        ),
        "bucc2018": TaskSpec(
            "bucc2018", "retrieval", rt, "target", "google/xtreme", hf_config="bucc18.{lang}",
            languages=BUCC_LANGS, benchmark_languages={"xtreme": BUCC_LANGS},
            metrics=("f1", "precision", "recall"), primary_metric="f1", xtreme_name="bucc2018",
            note="Not trained: mean-pooled middle-layer embeddings, cosine similarity.",
        ),
        "tatoeba": TaskSpec(
            "tatoeba", "retrieval", rt, "target", "google/xtreme", hf_config="tatoeba.{lang}",
            hf_splits={"test": "validation"}, languages=TATOEBA_XTREME_R, lang_codes=TATOEBA_CODES,
            benchmark_languages={"xtreme": TATOEBA_XTREME, "xtreme-r": TATOEBA_XTREME_R},
            xtreme_name="tatoeba",
            note="Not trained in XTREME (XTREME-R fine-tunes on SQuAD first). LASER files use "
            "ISO 639-3 codes (cmn, swh); lang_codes maps them.",
        ),
        "mewslix": TaskSpec(
            "mewslix", "retrieval", rt, "target", "izhx/mewsli-x", hf_config="{lang}",
            languages=MEWSLIX_LANGS, benchmark_languages={"xtreme-r": MEWSLIX_LANGS},
            english_train=("mewslix",), xtreme_name="mewslix", **_MAP,
            note="Entity linking as retrieval over a candidate-entity corpus.",
        ),
        "lareqa": TaskSpec(
            "lareqa", "retrieval", rt, "target", "google-research-datasets/xquad_r",
            hf_config="{lang}", languages=LAREQA_LANGS, benchmark_languages={"xtreme-r": LAREQA_LANGS},
            english_train=("squad",), xtreme_name="lareqa", **_MAP,
            note="Language-agnostic answer retrieval over XQuAD-R.",
        ),
    }  # fmt: skip


TASKS: dict[str, TaskSpec] = {
    **_intermediate(),
    **_targets_classification(),
    **_targets_structured(),
    **_targets_qa_retrieval(),
}

INTERMEDIATE_TASKS: tuple[str, ...] = tuple(n for n, t in TASKS.items() if t.role == "intermediate")
TARGET_TASKS: tuple[str, ...] = tuple(n for n, t in TASKS.items() if t.role == "target")
# The 9 intermediate tasks of Phang et al. (2020) v2.
PAPER_INTERMEDIATE_TASKS = (
    "anli", "ccg", "commonsenseqa", "cosmosqa", "hellaswag", "mnli", "qqp", "squad", "sst2",
)  # fmt: skip


def get_task(name: str) -> TaskSpec:
    """Look a task up by registry name.

    Raises:
        KeyError: with one line listing the known names.
    """
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known: {', '.join(sorted(TASKS))}") from None


def task_for_xtreme_name(xtreme_name: str) -> TaskSpec:
    """The task whose official-scorer folder is ``xtreme_name`` (``panx`` -> the PAN-X task)."""
    for task in TASKS.values():
        if task.name == xtreme_name or task.xtreme_name == xtreme_name:
            return task
    raise KeyError(f"no task scored from folder {xtreme_name!r}")
