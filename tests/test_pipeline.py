"""End-to-end STILTs runs on capped real data with a tiny model: smoke, reuse, kill-and-resume, CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from replicate.pipeline import intermediate_dir, run_details, run_pipeline
from replicate.records import RunSpec
from replicate.results import ResultsStore
from tests.tiny_models import build_tiny_model, corpus_lines

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory, shared_data) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "m", corpus_lines(shared_data))


def _spec(model: Path, **kw) -> RunSpec:
    base = dict(
        model=str(model),
        intermediate_task="snli",
        intermediate_cap=64,
        intermediate_epochs=1.0,
        target_task="xnli",
        target_cap=64,
        target_epochs=1.0,
        eval_languages=("de", "sw", "ur"),
        eval_cap=40,
        learning_rate=1e-3,
        batch_size=8,
        grad_accum=1,
        max_length=64,
    )
    return RunSpec(**{**base, **kw})


def test_smoke_xnli_and_tatoeba_share_the_intermediate_phase(tiny_model, library_dir) -> None:
    spec = _spec(tiny_model)
    result = run_pipeline(spec, library_dir)
    assert set(result.scores) == {"de", "sw", "ur"}
    for lang in ("de", "sw", "ur"):
        assert 0 <= result.scores[lang]["accuracy"] <= 100
        assert len(result.per_example[lang]) == 40
        assert result.scores[lang]["accuracy"] == pytest.approx(
            100 * sum(result.per_example[lang]) / 40
        )
        preds = (Path(result.prediction_dir) / "xnli" / f"test-{lang}.tsv").read_text().splitlines()
        assert len(preds) == 40 and set(preds) <= {"entailment", "neutral", "contradiction"}
    assert (
        result.versions["torch"]
        and result.git_hash
        and set(result.timings) >= {"intermediate", "target", "evaluate"}
    )
    details = run_details(library_dir, result.run_id)["details"]
    assert details["intermediate"]["data"][0].startswith("snli/validation/en (64)")
    assert details["target_training"]["data"][0].startswith(
        "snli/test/en (64)"
    )  # never the same examples
    assert details["evaluation_data"]["xnli"]["sw"].startswith("xnli/test/sw")
    with ResultsStore(library_dir) as store:
        assert store.get(result.run_id).scores == result.scores
    # Idempotent: a finished run is returned from the store, not run again.
    again = run_pipeline(spec, library_dir)
    assert again.created_at == result.created_at and again.scores == result.scores
    # Tatoeba: no target training; the shared intermediate encoder is reused, not retrained.
    done = intermediate_dir(library_dir, spec) / "done.json"
    stamp = done.stat().st_mtime_ns
    tat = run_pipeline(
        _spec(tiny_model, target_task="tatoeba", eval_languages=("de", "fr", "sw"), eval_cap=30),
        library_dir,
    )
    assert set(tat.scores) == {"de", "fr", "sw"} and done.stat().st_mtime_ns == stamp
    assert "retrieval: layer 1, mean pooling" in tat.model_provenance
    assert all(len(tat.per_example[lang]) == 30 for lang in tat.scores)
    assert (Path(tat.prediction_dir) / "tatoeba" / "test-sw.tsv").read_text().count("\n") == 30
    assert len(list((library_dir / "intermediate").glob("*/done.json"))) == 1


def test_extra_eval_task_shares_the_head(tiny_model, library_dir) -> None:
    spec = _spec(
        tiny_model, eval_languages=("sw", "quy"), extra_eval_tasks=("americasnli",), eval_cap=20
    )
    result = run_pipeline(spec, library_dir)
    assert set(result.scores) == {"sw", "quy"}
    assert set(result.average) == {"accuracy", "accuracy:americasnli"}
    assert run_details(library_dir, result.run_id)["details"]["language_task"] == {
        "sw": "xnli",
        "quy": "americasnli",
    }
    with pytest.raises(ValueError, match="does not share"):
        run_pipeline(_spec(tiny_model, extra_eval_tasks=("tatoeba",)), library_dir)


SCRIPT = """
import sys, time
from pathlib import Path
from replicate.pipeline import run_pipeline
from replicate.records import RunSpec
spec = RunSpec.model_validate_json(Path(sys.argv[1]).read_text())
def slow(phase, message, done, total):
    if phase in ("intermediate", "target") and total:
        time.sleep(0.15)  # keeps the run alive long enough to be killed mid-phase
run_pipeline(spec, Path(sys.argv[2]), slow, checkpoint_every=1)
"""


@pytest.mark.slow
def test_kill_and_resume_matches_an_uninterrupted_run(tiny_model, tmp_path) -> None:
    spec = _spec(
        tiny_model,
        intermediate_epochs=2.0,
        target_epochs=2.0,
        batch_size=4,
        grad_accum=2,
        eval_cap=30,
    )
    (tmp_path / "spec.json").write_text(spec.model_dump_json())
    killed_lib = tmp_path / "killed"
    # One thread everywhere: with several, a loaded machine can change how BLAS splits a sum,
    # and the last bits of the weights with it; resume must be compared on equal arithmetic.
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _kill_twice_then_compare(spec, tmp_path, killed_lib, env)
    finally:
        torch.set_num_threads(threads)


def _kill_twice_then_compare(spec, tmp_path: Path, killed_lib: Path, env: dict) -> None:
    for marker in ("intermediate", "target"):  # kill once in each training phase
        proc = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(tmp_path / "spec.json"), str(killed_lib)], env=env
        )
        pattern = (
            "intermediate/*/checkpoint.pt"
            if marker == "intermediate"
            else "runs/*/target/stage0/checkpoint.pt"
        )
        deadline = time.time() + 120
        while not list(killed_lib.glob(pattern)) and time.time() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, f"run ended before it could be killed in the {marker} phase"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
    resumed = run_pipeline(spec, killed_lib)
    straight = run_pipeline(spec, tmp_path / "straight")
    # The resumed run ends with exactly the weights of the uninterrupted one (this tiny model's
    # predictions sit on a near-tie, one class for every example, so equal predictions alone would
    # not show it: the weights are compared), and training moved them (the check has teeth).
    [killed_w] = killed_lib.glob("runs/*/target/model.pt")
    [straight_w] = (tmp_path / "straight").glob("runs/*/target/model.pt")
    a = torch.load(killed_w, weights_only=True)
    b = torch.load(straight_w, weights_only=True)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    head = [k for k in a if "head" in k and a[k].is_floating_point()]
    assert head and any(float(a[k].abs().max()) > 1e-3 for k in head)
    assert resumed.scores == straight.scores and resumed.per_example == straight.per_example
    for lang in ("de", "sw", "ur"):
        name = f"xnli/test-{lang}.tsv"
        assert (Path(resumed.prediction_dir) / name).read_text() == (
            Path(straight.prediction_dir) / name
        ).read_text()


def test_two_runs_of_one_spec_end_with_identical_weights(tiny_model, tmp_path) -> None:
    """New heads start from the spec's seed, not from whatever used the RNG before."""
    spec = _spec(tiny_model, intermediate_epochs=1.0, target_epochs=1.0, eval_cap=5)
    torch.rand(7)  # the global RNG is somewhere else before the second run
    first = run_pipeline(spec, tmp_path / "one")
    torch.rand(3)
    second = run_pipeline(spec, tmp_path / "two")
    [wa] = (tmp_path / "one").glob("runs/*/target/model.pt")
    [wb] = (tmp_path / "two").glob("runs/*/target/model.pt")
    a, b = torch.load(wa, weights_only=True), torch.load(wb, weights_only=True)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert first.per_example == second.per_example


def test_cli_run_rejects_unknown_keys_and_runs_a_spec(tiny_model, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('model = "x"\nlearning_rat = 1e-5\n')
    good = tmp_path / "good.toml"
    spec = _spec(tiny_model, eval_languages=("sw",), eval_cap=10)
    lines = [
        f"{k} = {json.dumps(v)}" for k, v in spec.model_dump(mode="json").items() if v is not None
    ]
    good.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [
        sys.executable,
        "-m",
        "claimlab",
        "replicate",
        "run",
        str(bad),
        str(good),
        "--library",
        str(tmp_path / "lib"),
        "--json",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 1
    assert "bad.toml: unknown key 'learning_rat'" in out.stderr
    assert len([line for line in out.stderr.splitlines() if line.startswith("error")]) == 1
    payload = json.loads(out.stdout)
    assert payload[0]["run_id"] == spec.run_id and set(payload[0]["scores"]) == {"sw"}


@pytest.mark.slow
def test_qa_target_xquad_end_to_end(tiny_model, library_dir) -> None:
    spec = _spec(
        tiny_model,
        intermediate_task=None,
        target_task="xquad",
        target_cap=32,
        eval_languages=("de", "es"),
        eval_cap=12,
        max_length=128,
    )
    result = run_pipeline(spec, library_dir)
    assert set(result.scores) == {"de", "es"}
    assert set(result.scores["de"]) == {"f1", "exact_match"} and result.primary_metric == "f1"
    assert len(result.per_example["de"]) == 12
    assert result.scores["de"]["f1"] == pytest.approx(100 * sum(result.per_example["de"]) / 12)
    details = run_details(library_dir, result.run_id)["details"]
    assert details["intermediate"] == "none (baseline)"
    assert details["target_training"]["data"][0].startswith("mlqa/validation/en (32)")
    preds = json.loads((Path(result.prediction_dir) / "xquad" / "test-de.json").read_text())
    assert len(preds) == 12 and all(isinstance(v, str) for v in preds.values())
