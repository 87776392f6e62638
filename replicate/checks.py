"""Claims become experiments: arms, targets, expected effect; then runs, an interval and a verdict.

The mapping is automatic where the claim's own words allow it: ``synth.entities.tag_entities`` names
its tasks (intermediate-role tasks are treatment arms against the no-intermediate baseline;
target-role tasks are the targets), ``parse_numbers`` its magnitudes (one per arm, or one for all),
and its verbs the direction (per clause: "TyDiQA improves, whereas XNLI does not"). Claims that
describe a method (``synth.claims.classify_claim``) are untestable. ``claim_map.toml`` fills in or
overrides what the words do not carry (a claim truncated before its targets), with the reason.

Every check states how its runs differ from the paper's (model, size, data volume, stand-in data),
and is decided by ``replicate.stats`` over seeds and examples.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from replicate.records import ClaimCheck, RunResult, RunSpec
from replicate.stats import StatsSettings, decide, estimate_effect
from replicate.tasks import PAPER_INTERMEDIATE_TASKS, TASKS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CLAIM_MAP = Path(__file__).with_name("claim_map.toml")
PAPER_MODEL = "xlm-roberta-large"
UNTESTED = "UNTESTED"
UNTESTABLE = "UNTESTABLE"
_ALIASES = {"bucc": "bucc2018", "siqa": "socialiqa", "sst": "sst2", "tydiqagoldp": "tydiqa"}
_NEG = re.compile(
    r"\b(?:does|do|did)\s+not\s+(?:see|show|get|yield|bring)?\s*(?:any\s+)?"
    r"(?:benefit|improv|gain)|\bno\s+(?:significant\s+)?(?:benefit|gain|improvement)",
    re.I,
)
_DOWN = re.compile(r"\b(?:hurts?|harms?|degrad\w*|decreas\w*|worse)\b", re.I)
_UP = re.compile(
    r"improv|\byields?\b|\bgains?\b|benefit|outperform|\bboost|\bbetter\b|\bbest\b", re.I
)
_CLAUSES = re.compile(r"\bwhereas\b|\bwhile\b|;|\bbut\b", re.I)


@dataclass(frozen=True)
class CheckContext:
    """The run settings claim checks use, taken from a study spec (the largest model and cap)."""

    model: str
    num_layers: int | None
    cap: int | None
    seeds: tuple[int, ...]
    shared: dict[str, Any]
    targets: dict[str, dict[str, Any]]

    @classmethod
    def from_study(cls, spec: Any) -> CheckContext:
        g = spec.grid
        return cls(
            model=g.models[0],
            num_layers=max(g.num_layers) if g.num_layers else None,
            cap=max(g.intermediate_caps) if g.intermediate_caps else None,
            seeds=tuple(g.seeds),
            shared=dict(spec.shared),
            targets={k: dict(v) for k, v in spec.targets.items()},
        )


def task_name(entity: str) -> str | None:
    """Registry name of a tagged task entity (``BUCC`` -> ``bucc2018``), or None."""
    key = re.sub(r"[^a-z0-9]", "", entity.lower())
    key = _ALIASES.get(key, key)
    return key if key in TASKS else None


def load_claim_map(path: Path = CLAIM_MAP) -> list[dict[str, Any]]:
    """The mapping file's entries (see its header for the fields)."""
    return tomllib.loads(path.read_text(encoding="utf-8")).get("claim", [])


def _direction(clause: str) -> int | None:
    if _NEG.search(clause):
        return 0
    if _DOWN.search(clause):
        return -1
    return 1 if _UP.search(clause) else None


def _clauses(text: str) -> list[tuple[list[str], int | None]]:
    """(target tasks, direction) per clause; clauses without targets inherit the previous ones."""
    from synth.entities import tag_entities

    out: list[tuple[list[str], int | None]] = []
    for clause in _CLAUSES.split(text):
        names = [task_name(e) for e in tag_entities(clause).get("tasks", ())]
        targets = [n for n in names if n and TASKS[n].role == "target"]
        if targets or not out:
            out.append((targets, _direction(clause)))
    return out


def _auto(text: str) -> dict[str, Any]:
    """What the claim's own words give: type, arms, clauses, magnitudes."""
    from synth.claims import classify_claim
    from synth.entities import parse_numbers, tag_entities

    names = [task_name(e) for e in tag_entities(text).get("tasks", ())]
    arms = [n for n in dict.fromkeys(names) if n and TASKS[n].role == "intermediate"]
    mags = [n.value for n in parse_numbers(text) if n.unit in ("points", "pp", "%")]
    return {
        "type": classify_claim(text),
        "arms": arms,
        "clauses": _clauses(text),
        "magnitudes": mags,
    }


def _mapping_for(text: str, mapping: list[dict[str, Any]]) -> dict[str, Any] | None:
    low = " ".join(text.lower().split())
    return next((m for m in mapping if m["match"].lower() in low), None)


def plan_claim(
    claim_id: str, text: str, mapping: list[dict[str, Any]] | None = None
) -> list[ClaimCheck]:
    """Turn one claim into checks: one per (treatment arm, clause), or one untestable record."""
    mapping = load_claim_map() if mapping is None else mapping
    auto, entry = _auto(text), _mapping_for(text, mapping) or {}
    reason = entry.get("reason", "")

    def untestable(why: str) -> list[ClaimCheck]:
        return [ClaimCheck(claim_id, text, testable=False, reason=why, verdict=UNTESTABLE)]

    if entry.get("testable") is False:
        return untestable(reason)
    if auto["type"] == "method" and not entry:
        return untestable("describes the method or setup; it states no outcome to measure")
    arms = entry.get("arms") or auto["arms"]
    if entry.get("clauses"):
        clauses = [([c["target"]], c["direction"]) for c in entry["clauses"]]
    elif entry.get("targets"):
        clauses = [(entry["targets"], entry.get("direction", auto["clauses"][0][1]))]
    else:
        clauses = auto["clauses"]
    if not arms:
        return untestable("names no intermediate task to set against the baseline")
    if not any(targets for targets, _ in clauses):
        return untestable("names no target task (the text may be truncated)")
    mags = entry.get("magnitudes") or auto["magnitudes"]
    per_arm = (
        mags
        if len(mags) == len(arms)
        else (mags * len(arms) if len(mags) == 1 else [None] * len(arms))
    )
    how = "automatic (entities, numbers, direction)" + (
        f"; mapping file: {reason}" if reason else ""
    )
    checks = []
    for arm, mag in zip(arms, per_arm, strict=True):
        for targets, direction in clauses:
            if direction is None or not targets:
                continue
            suffix = f":{arm}" + (f":{targets[0]}" if len(clauses) > 1 else "")
            checks.append(
                ClaimCheck(
                    claim_id=claim_id + (suffix if len(arms) > 1 or len(clauses) > 1 else ""),
                    claim=text,
                    testable=True,
                    reason=how,
                    target_tasks=tuple(targets),
                    treatment=_arm_fields(arm),
                    expected_direction=direction,
                    expected_magnitude=mag if direction != 0 else None,
                )
            )
    return checks or untestable("states no direction of effect")


def _arm_fields(arm: str) -> dict[str, Any]:
    tasks = PAPER_INTERMEDIATE_TASKS if arm == "paper9" else tuple(arm.split("+"))
    if len(tasks) == 1:
        return {"intermediate_task": tasks[0]}
    return {"intermediate_tasks": tuple(tasks)}


# ---------------------------------------------------------------------------------------------
# Realising a check here: what can run, how it differs from the paper, which runs it needs.


def _trainable(task: str) -> tuple[str | None, str]:
    """(stand-in note or '', error) for a task's English training data here."""
    from replicate.data import DataUnavailable, training_source

    try:
        return training_source(task).note, ""
    except DataUnavailable as exc:
        return None, str(exc)


def _evaluable(task: str) -> bool:
    from replicate.data import available

    spec = TASKS[task]
    return any(available(task, s, g) for g in spec.languages for s in ("test", "validation"))


def realise(check: ClaimCheck, ctx: CheckContext) -> tuple[ClaimCheck, bool]:
    """Fit a planned check to what can run here; record every difference from the paper.

    Returns:
        The check (targets and arms trimmed to the data at hand, differences filled in) and
        whether it can run here; one that cannot stays UNTESTED with the reason.
    """
    notes: list[str] = []
    inter = check.treatment.get("intermediate_tasks") or (check.treatment["intermediate_task"],)
    kept = []
    for task in inter:
        note, err = _trainable(task)
        if err:
            notes.append(f"intermediate {task} dropped: {err}")
        else:
            kept.append(task)
            notes += [note] if note else []
    targets = []
    for t in check.target_tasks:
        train_errs = [e for e in (_trainable(x)[1] for x in TASKS[t].english_train) if e]
        if not _evaluable(t) or train_errs:
            notes.append(f"target {t} dropped: no evaluation or training data here")
        else:
            targets.append(t)
    notes += _setup_differences(ctx)
    if not kept or not targets:
        why = "cannot run here: " + "; ".join(n for n in notes if "dropped" in n)
        return replace(
            check, differences=tuple(notes), verdict=UNTESTED, reason=check.reason + " | " + why
        ), False
    treatment = (
        {"intermediate_task": kept[0]} if len(kept) == 1 else {"intermediate_tasks": tuple(kept)}
    )
    trimmed = replace(
        check, treatment=treatment, target_tasks=tuple(targets), differences=tuple(notes)
    )
    return trimmed, True


def _setup_differences(ctx: CheckContext) -> list[str]:
    out = []
    if ctx.model != PAPER_MODEL:
        out.append(f"model {ctx.model} instead of {PAPER_MODEL} (24 layers, 560M parameters)")
    if ctx.num_layers:
        out.append(f"only the first {ctx.num_layers} encoder layers")
    out.append(
        f"intermediate data capped at {ctx.cap} examples" if ctx.cap else "full intermediate data"
    )
    sh = ctx.shared
    for key, label in (
        ("target_cap", "English target training capped at"),
        ("eval_cap", "evaluation capped at"),
    ):
        if sh.get(key):
            out.append(f"{label} {sh[key]} examples")
    for key, paper in (("intermediate_epochs", 3.0), ("learning_rate", 1e-5), ("max_length", 256)):
        if key in sh and sh[key] != paper:
            out.append(f"{key} {sh[key]} (paper: {paper})")
    out.append(f"{len(ctx.seeds)} seed(s); stand-in datasets where the hub is unreachable")
    return out


def arm_specs(check: ClaimCheck, ctx: CheckContext) -> tuple[list[RunSpec], list[RunSpec]]:
    """The baseline and treatment runs of a check: one per (target task, seed)."""
    base_runs, treat_runs = [], []
    for target in check.target_tasks:
        for seed in ctx.seeds:
            common = {**ctx.shared, **ctx.targets.get(target, {}), **check.baseline}
            common |= {
                "model": ctx.model,
                "num_layers": ctx.num_layers,
                "target_task": target,
                "seed": seed,
            }
            base_runs.append(RunSpec(**common))
            treat_runs.append(RunSpec(**common, **check.treatment, intermediate_cap=ctx.cap))
    return base_runs, treat_runs


def _merged(runs: list[RunResult]) -> list[RunResult]:
    """One result per seed whose 'languages' are ``task/lang``: targets pooled, equally weighted."""
    by_seed: dict[int, RunResult] = {}
    for r in runs:
        seed = r.spec.get("seed", 0)
        m = by_seed.setdefault(seed, RunResult("", {"seed": seed}, "+", {}, {}, "score"))
        for lang, metrics in r.scores.items():
            m.scores[f"{r.task}/{lang}"] = {"score": metrics.get(r.primary_metric, 0.0)}
            if lang in r.per_example:
                m.per_example[f"{r.task}/{lang}"] = r.per_example[lang]
    return list(by_seed.values())


def decide_check(
    check: ClaimCheck,
    results: dict[str, RunResult],
    ctx: CheckContext,
    stats: StatsSettings | None = None,
) -> ClaimCheck:
    """Effect, interval, test and verdict of a realised check from stored results."""
    base_specs, treat_specs = arm_specs(check, ctx)
    base = [results[s.run_id] for s in base_specs if s.run_id in results]
    treat = [results[s.run_id] for s in treat_specs if s.run_id in results]
    ids = tuple(s.run_id for s in base_specs + treat_specs)
    if len(base) < len(base_specs) or len(treat) < len(treat_specs):
        return replace(
            check, run_ids=ids, verdict=UNTESTED, reason=check.reason + " | runs missing"
        )
    est = estimate_effect(_merged(base), _merged(treat), None, stats)
    verdict, why = decide(est, check.expected_direction, check.expected_magnitude, stats)
    return replace(
        check, effect=est.effect, ci_low=est.ci_low, ci_high=est.ci_high, p_value=est.p_value,
        verdict=verdict, reason=f"{check.reason} | {why} ({est.method})", run_ids=ids,
        languages=est.languages,
    )  # fmt: skip


def run_checks(
    checks: list[ClaimCheck],
    ctx: CheckContext,
    library: str | Path | None = None,
    executor: Any = None,
    run_fn: Any = None,
    stats: StatsSettings | None = None,
    show_progress: bool = True,
) -> list[ClaimCheck]:
    """Realise, run what is missing, decide and store every check; untestable ones pass through.

    Args:
        checks: from :func:`plan_claim`.
        ctx: run settings (``CheckContext.from_study``).
        library: library directory with the results store.
        executor: ``replicate.executors.ExecutorSettings`` (default in-process).
        run_fn: run function (default: the real pipeline).
        stats: bootstrap and verdict-rule settings.
        show_progress: rich progress while runs execute.
    """
    from replicate.executors import execute
    from replicate.results import ResultsStore
    from replicate.study import SweepPlan

    # === Step 1: fit each testable check to the data and models at hand
    realised = [realise(c, ctx) if c.testable else (c, False) for c in checks]
    runnable = [c for c, ok in realised if ok]
    # === Step 2: run the arms' missing runs (shared baselines run once)
    specs = {s.run_id: s for c in runnable for arm in arm_specs(c, ctx) for s in arm}
    with ResultsStore(library) as store:
        missing = tuple(s for rid, s in specs.items() if not store.has(rid))
        directory = store.directory
    if missing:
        plan = SweepPlan("claim checks", "", tuple(specs.values()), missing)
        execute(plan, directory, executor, run_fn, show_progress)
    # === Step 3: decide each check from the stored results, and store the verdicts
    out = []
    with ResultsStore(directory) as store:
        results = {rid: r for rid in specs if (r := store.get(rid)) is not None}
        for c, ok in realised:
            decided = decide_check(c, results, ctx, stats) if ok else c
            store.put_check(decided)
            out.append(decided)
    return out
