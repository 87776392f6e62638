"""The typed content of one report: everything render.py needs, nothing it has to look up.

``build.build_report`` fills a :class:`ReportContent` from the library and the results store;
``figures`` adds the plots; ``render`` writes Markdown, HTML and PDF from it. The record round-trips
through JSON (``report.json``), which ``claimlab show`` reads back.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


def _verified_threshold() -> float:
    """synth.verify's threshold for calling a verdict settled, so reports and CLI agree."""
    try:
        from synth.verify import VerifySettings

        return float(VerifySettings.model_fields["verified_min_confidence"].default)
    except (ImportError, KeyError, AttributeError, TypeError):
        return 0.8


# A textual verdict is only shown as settled ("verified", "refuted") at or above this calibrated
# confidence; below it the label word is shown with "low confidence", never a tick.
CONFIDENCE_THRESHOLD = _verified_threshold()


class Backed(BaseModel):
    """One sentence of the answer with what backs it: measured numbers or cited claims."""

    text: str
    backing: list[str] = Field(default_factory=list)  # e.g. "12 runs: 3f2a.., 9b1c.." or "C3"
    part: str = ""  # the paragraph it belongs to: a target task, or "claims"


class PaperRow(BaseModel):
    paper_id: str
    title: str
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    link: str | None = None
    pages: int = 0
    flags: list[str] = Field(default_factory=list)
    excluded: bool = False  # machine-generated sources are listed but not counted as evidence
    claims: int = 0


class EmpiricalRow(BaseModel):
    """One experiment a claim was turned into (a claim can name several arms or targets)."""

    check_id: str
    arm: str = ""  # the treatment, e.g. "snli" or "squad+mnli"
    targets: list[str] = Field(default_factory=list)
    verdict: str = "UNTESTED"
    testable: bool = False
    reason: str = ""
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    paper_magnitude: float | None = None
    differences: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    run_ids: list[str] = Field(default_factory=list)


class ClaimRow(BaseModel):
    """One row of the claims table: the whole claim, both verdicts, every page cited."""

    ref: str  # short label used in the answer, e.g. "C3"
    claim_id: str
    also_ids: list[str] = Field(default_factory=list)  # the same claim stored under other ids
    text: str
    paper_id: str | None = None
    paper_title: str = ""
    page: int | None = None
    from_machine_generated: bool = False
    truncated_at_source: bool = False
    textual_label: str | None = None  # SUPPORTS | REFUTES | NOT ENOUGH INFO | None (not verified)
    confidence: float | None = None
    textual_display: str = "not verified"
    evidence_quote: str = ""
    evidence_paper: str = ""
    evidence_page: int | None = None
    verdict_settings_hash: str = ""
    issues: list[str] = Field(default_factory=list)  # what the audit found wrong in its source
    empirical_verdict: str = "UNTESTED"  # summary over this claim's checks
    testable: bool = False
    empirical: list[EmpiricalRow] = Field(default_factory=list)


class AuditRow(BaseModel):
    """What the audit of an input report (e.g. the seed synthesis) found."""

    source: str
    paper_id: str | None = None
    title: str = ""
    machine_generated: bool = False
    references: list[str] = Field(default_factory=list)
    issues: list[str] = Field(default_factory=list)
    claims: int = 0
    from_table: int = 0
    cut_off: int = 0
    claim_issues: dict[str, list[str]] = Field(default_factory=dict)


class RunRow(BaseModel):
    run_id: str
    task: str
    model: str
    num_layers: int | None = None
    intermediate: str = "none"
    intermediate_cap: int | None = None
    seed: int = 0
    primary_metric: str = ""
    average: float | None = None
    low_resource_mean: float | None = None
    seconds: float = 0.0


class CellRow(BaseModel):
    """One grid cell (model size x intermediate data volume), averaged over seeds."""

    task: str = ""
    size: str  # e.g. "6 layers"
    layers: int | None = None
    volume: int | None  # intermediate examples; 0 = no intermediate phase, None = all
    volume_label: str = ""
    intermediate: str = "none"
    runs: int
    low_resource_mean: float
    low_resource_sd: float | None = None  # over seeds; None with one run (no spread to show)
    other_mean: float | None = None
    english: float | None = None
    gap: float | None = None  # English minus the low-resource mean


class FitRow(BaseModel):
    """Points per doubling of data volume and of model size (replicate.robustness's fit)."""

    target: str
    measure: str
    n_rows: int
    data_slope: float | None = None
    data_ci: tuple[float, float] | None = None
    size_slope: float | None = None
    size_ci: tuple[float, float] | None = None
    difference_ci: tuple[float, float] | None = None
    conclusion: str = ""


class LanguageRow(BaseModel):
    task: str = ""
    lang: str
    english_name: str
    endonym: str
    group: str  # "low" | "high" | "source" | "unknown"
    resource: float | None = None  # the grouping's resource measure (larger = more resource)
    baseline: float | None = None
    best: float | None = None
    best_cell: str = ""
    gap_to_english: float | None = None


class Figure(BaseModel):
    task: str = ""
    name: str
    file: str  # relative to the report folder
    caption: str


class Reproducibility(BaseModel):
    git_hash: str = ""
    versions: dict[str, str] = Field(default_factory=dict)
    config_hashes: dict[str, str] = Field(default_factory=dict)
    seeds: list[int] = Field(default_factory=list)
    total_run_seconds: float = 0.0
    run_seconds: dict[str, float] = Field(default_factory=dict)
    commands: list[str] = Field(default_factory=list)
    library: str = ""
    created_at: str = ""


class Methods(BaseModel):
    sources: list[str] = Field(default_factory=list)
    queries: list[str] = Field(default_factory=list)
    filters: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    data: list[str] = Field(default_factory=list)  # what each phase actually read (stand-ins named)
    settings_hashes: dict[str, str] = Field(default_factory=dict)
    grid: dict[str, list[str]] = Field(default_factory=dict)
    grouping: str = ""


class FacetRow(BaseModel):
    """One facet of the question and the human-written papers that speak to it (synthesis)."""

    facet: str
    status: str  # claimed | partly claimed | mentioned only | gap
    claim_papers: list[str] = Field(default_factory=list)  # short citations
    mention_papers: list[str] = Field(default_factory=list)


class ReportContent(BaseModel):
    """One report, complete. Every string from a paper or user is raw here; render escapes it."""

    title: str
    question: str
    answer: list[Backed] = Field(default_factory=list)
    methods: Methods = Field(default_factory=Methods)
    papers: list[PaperRow] = Field(default_factory=list)
    facets: list[FacetRow] = Field(default_factory=list)  # what the papers cover of the question
    coverage: list[str] = Field(default_factory=list)  # the synthesis's account of that, sentences
    claims: list[ClaimRow] = Field(default_factory=list)
    claims_omitted: int = 0
    audits: list[AuditRow] = Field(default_factory=list)
    runs: list[RunRow] = Field(default_factory=list)
    cells: list[CellRow] = Field(default_factory=list)
    fits: list[FitRow] = Field(default_factory=list)
    languages: list[LanguageRow] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)
    repro: Reproducibility = Field(default_factory=Reproducibility)
    primary_metric: str = ""
    target_task: str = ""  # the primary target task (most runs)
    tasks: dict[str, str] = Field(default_factory=dict)  # every target task -> its metric
    at_chance: dict[str, float] = Field(default_factory=dict)  # task -> chance level it stayed at
    study: str = ""  # the study whose runs are shown ("" = every stored run)

    def task_cells(self, task: str) -> list[CellRow]:
        return [c for c in self.cells if c.task == task]

    def task_languages(self, task: str) -> list[LanguageRow]:
        return [r for r in self.languages if r.task == task]


def textual_display(label: str | None, confidence: float | None) -> str:
    """The words shown for a textual verdict: settled only at or above the threshold."""
    if not label:
        return "not verified"
    if confidence is None:
        return f"{label.lower()} (no confidence)"
    if label == "SUPPORTS":
        word = "verified" if confidence >= CONFIDENCE_THRESHOLD else "supported, low confidence"
    elif label == "REFUTES":
        word = "refuted" if confidence >= CONFIDENCE_THRESHOLD else "refuted, low confidence"
    else:
        word = "not enough info"
    return f"{word} ({confidence:.2f})"
