"""Typed records of replicate: examples, run specs, run results, claim checks.

ExperimentSpec (a study grid, in study.py) -> RunSpec -> RunResult -> ClaimCheck.
A RunSpec is a Settings object: its hash is the run id, and it names every cache entry and checkpoint.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import Field

from synth.settings import Settings

# ---------------------------------------------------------------------------------------------
# Examples, one record per task format. ``guid`` is stable across runs (dataset, split, index).


@dataclass(frozen=True)
class ClassificationExample:
    """Sentence or sentence-pair classification (NLI, paraphrase, sentiment)."""

    guid: str
    text_a: str
    label: int
    text_b: str | None = None


@dataclass(frozen=True)
class MultipleChoiceExample:
    """Multiple choice (COPA/XCOPA, Social IQa, HellaSwag, CommonsenseQA, Cosmos QA)."""

    guid: str
    context: str
    choices: tuple[str, ...]
    label: int
    question: str = ""


@dataclass(frozen=True)
class QAExample:
    """Extractive QA in SQuAD v1.1 form."""

    guid: str
    question: str
    context: str
    answer_texts: tuple[str, ...]
    answer_starts: tuple[int, ...]


@dataclass(frozen=True)
class TaggingExample:
    """Token tagging (UD-POS, PAN-X/WikiANN)."""

    guid: str
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class RetrievalSet:
    """Parallel sentences for bitext retrieval (Tatoeba, BUCC): ``targets[i]`` translates ``sources[i]``."""

    lang: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


TaskFormat = Literal[
    "classification", "pair_classification", "multiple_choice", "qa", "tagging", "retrieval"
]

# ---------------------------------------------------------------------------------------------
# One run.


class RunSpec(Settings):
    """Everything that determines one STILTs run. Its hash is the run id."""

    model: str = Field(
        default="offline:multilingual-e5-small",
        description="Hub id (xlm-roberta-large), local path, or 'offline:multilingual-e5-small'.",
    )
    num_layers: int | None = Field(
        default=None,
        ge=1,
        description="Keep the first k encoder layers (model-size axis); None = all.",
    )
    intermediate_task: str | None = Field(
        default=None, description="Registry name of the English intermediate task; None = baseline."
    )
    intermediate_tasks: tuple[str, ...] = Field(
        default=(),
        description="Several names for multi-task intermediate training (overrides the single task).",
    )
    intermediate_cap: int | None = Field(
        default=None,
        ge=1,
        description="Seeded, label-stratified cap on intermediate examples (data-volume axis).",
    )
    intermediate_epochs: float = Field(
        default=3.0, gt=0, description="Epochs of intermediate training."
    )
    target_task: str = Field(default="xnli", description="Registry name of the target task.")
    extra_eval_tasks: tuple[str, ...] = Field(
        default=(),
        description="More tasks evaluated zero-shot with the target head (same label set), e.g."
        " americasnli for an XNLI run; their languages are scored under their own codes.",
    )
    target_cap: int | None = Field(
        default=None, ge=1, description="Cap on English target-task training examples."
    )
    target_epochs: float = Field(default=2.0, gt=0, description="Epochs of target training.")
    eval_languages: tuple[str, ...] = Field(
        default=(),
        description="Languages to evaluate zero-shot; empty = all of the task's languages.",
    )
    eval_cap: int | None = Field(
        default=None, ge=1, description="Cap on evaluation examples per language (None = all)."
    )
    seed: int = Field(default=0, description="Seed for data capping, head init and batching.")
    learning_rate: float = Field(
        default=1e-5, gt=0, description="Peak learning rate (jiant: 1e-5)."
    )
    batch_size: int = Field(default=4, ge=1, description="Per-step batch size.")
    grad_accum: int = Field(default=8, ge=1, description="Gradient accumulation steps.")
    max_length: int = Field(default=256, ge=8, description="Max tokens (256 cls/tagging, 384 QA).")
    precision: Literal["fp32", "bf16", "fp16"] = Field(
        default="fp32", description="Training precision (bf16/fp16 only on GPU)."
    )
    freeze_embeddings: bool = Field(
        default=False,
        description="Freeze the word embeddings (saves memory and time with large vocabularies).",
    )
    retrieval_layer: int | None = Field(
        default=None,
        description="Hidden layer pooled for retrieval tasks; None = the middle layer.",
    )
    pooling: Literal["mean", "cls"] = Field(
        default="mean", description="Pooling for retrieval tasks."
    )
    head_pooling: Literal["cls", "mean"] = Field(
        default="cls",
        description="How classification and multiple-choice heads pool tokens: the first token"
        " (XLM-R's head) or the mean (for encoders trained for mean pooling, such as e5).",
    )
    multitask_temperature: float = Field(
        default=2.0,
        gt=0,
        description="Temperature for task sampling in multi-task intermediate training.",
    )

    @property
    def run_id(self) -> str:
        return self.settings_hash(16)

    def intermediate_key(self) -> dict[str, Any]:
        """The fields that determine the intermediate phase: runs sharing them share its checkpoint."""
        keys = (
            "model",
            "num_layers",
            "intermediate_task",
            "intermediate_tasks",
            "intermediate_cap",
            "intermediate_epochs",
            "seed",
            "learning_rate",
            "batch_size",
            "grad_accum",
            "max_length",
            "precision",
            "freeze_embeddings",
            "head_pooling",
            "multitask_temperature",
        )
        return {k: getattr(self, k) for k in keys}


@dataclass
class RunResult:
    """What one run measured. ``scores[lang][metric]`` on the official 0-100 scale."""

    run_id: str
    spec: dict[str, Any]
    task: str
    scores: dict[str, dict[str, float]]
    average: dict[str, float]
    primary_metric: str
    # Per-example outcome (1/0 correct, or per-example F1) per language, for bootstrap and paired tests.
    per_example: dict[str, list[float]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    git_hash: str = ""
    model_provenance: str = ""
    created_at: str = ""
    prediction_dir: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClaimCheck:
    """A claim turned into an experiment, and what the experiment said."""

    claim_id: str
    claim: str
    testable: bool
    reason: str = ""  # why not testable, or how the mapping was made
    target_tasks: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    baseline: dict[str, Any] = field(default_factory=dict)  # RunSpec overrides of the baseline arm
    treatment: dict[str, Any] = field(default_factory=dict)
    expected_direction: int = 1  # +1 improves, -1 hurts, 0 no difference
    expected_magnitude: float | None = None  # points, when the claim states one
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    verdict: str = "UNTESTED"  # REPLICATED | NOT REPLICATED | INCONCLUSIVE | UNTESTABLE | UNTESTED
    differences: tuple[str, ...] = ()  # how the run differs from the paper's setup
    run_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
