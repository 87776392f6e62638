"""The offline NLI stage: `claimlab nli train` on a tiny BERT, its card, verify with it, calibration."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from claimlab.cli import app
from synth.calibrate import (
    FEATURES,
    NLI_FEATURES,
    Calibrator,
    feature_vector,
    fit_calibrator,
    load_calibrator,
)
from synth.library import Library
from synth.nli import (
    CARD_NAME,
    DEFAULT_KEYWORD,
    NliTrainSettings,
    model_identity,
    read_snli,
    read_xnli_en,
    resolve_nli_model,
    split_pairs,
)
from synth.verify import Verifier, VerifySettings

runner = CliRunner()


def _tiny_bert(directory: Path, texts: list[str]) -> Path:
    """A real (untrained) 2-layer BERT encoder whose vocabulary is the words of ``texts``."""
    from transformers import BertConfig, BertModel, BertTokenizer

    words = sorted({w for t in texts for w in t.lower().replace(".", " .").split()})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.txt").write_text("\n".join(specials + words) + "\n")
    config = BertConfig(
        vocab_size=len(specials) + len(words), hidden_size=16, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=32, max_position_embeddings=160,
    )  # fmt: skip
    BertModel(config).save_pretrained(directory)
    BertTokenizer(str(directory / "vocab.txt")).save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def trained(shared_data: Path, papers_library: Path, tmp_path_factory) -> Path:
    """`claimlab nli train` end to end: a tiny BERT, 64 real NLI pairs, one epoch."""
    tmp = tmp_path_factory.mktemp("nli")
    lib = Library(papers_library)
    texts = [p.premise + " " + p.hypothesis for p in read_snli(shared_data)[:300]]
    texts += [s.text for s in lib.sentences()][:300]
    lib.close()
    base = _tiny_bert(tmp / "base", texts)
    result = runner.invoke(
        app,
        ["nli", "train", "--base-model", str(base), "--epochs", "1", "--max-train", "64",
         "--heldout-snli", "24", "--heldout-xnli", "12", "--data", str(shared_data),
         "--out", str(tmp / "model"), "--seed", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    assert "held-out accuracy" in result.output
    return tmp / "model"


def test_split_holds_out_whole_premises(shared_data: Path):
    settings = NliTrainSettings(heldout_snli=50, heldout_xnli=20, max_train=500, seed=1)
    snli, xnli = read_snli(shared_data), read_xnli_en(shared_data)
    assert len(xnli) == 2490 and {p.label for p in snli} == {
        "entailment",
        "neutral",
        "contradiction",
    }
    assert " ." not in snli[0].premise  # detokenised
    train, held = split_pairs(snli, xnli, settings)
    assert len(train) == 500
    assert sum(p.source == "snli" for p in held) >= 50
    assert sum(p.source == "xnli-en" for p in held) >= 20
    assert not {p.premise for p in held} & {p.premise for p in train}
    again = split_pairs(snli, xnli, settings)
    assert again == (train, held)  # seeded


def test_trained_folder_loads_with_cross_encoder_and_has_a_card(trained: Path, shared_data: Path):
    from sentence_transformers import CrossEncoder

    card = json.loads((trained / CARD_NAME).read_text())
    assert card["train_size"]["snli"] + card["train_size"]["xnli-en"] == 64
    assert card["heldout"]["n"] == card["heldout"]["snli"]["n"] + card["heldout"]["xnli-en"]["n"]
    assert 0.0 <= card["heldout"]["accuracy"] <= 1.0
    assert card["settings"]["seed"] == 3 and card["settings"]["max_train"] == 64
    assert "xnli/xtreme_dev_15lang/dev-en.tsv" in card["data_files_sha256"]
    assert card["train_wall_s"] > 0
    model = CrossEncoder(str(trained), device="cpu")
    assert {str(v) for v in model.config.id2label.values()} == {
        "entailment", "neutral", "contradiction",
    }  # fmt: skip
    probs = model.predict([("A man plays a guitar.", "A man plays music.")], apply_softmax=True)
    assert np.allclose(np.asarray(probs).sum(), 1.0, atol=1e-4)
    again = runner.invoke(app, ["nli", "train", "--out", str(trained), "--data", str(shared_data),
                                "--base-model", "unused", "--max-train", "64"])  # fmt: skip
    assert again.exit_code == 0 and "already trained" in again.output


def _verifier(papers_library: Path, **settings) -> Verifier:
    return Verifier(Library(papers_library), VerifySettings(**settings))


def test_verify_with_the_trained_folder_and_its_calibrator(
    trained: Path, papers_library: Path, tmp_path: Path
):
    nli = _verifier(papers_library, nli_model=str(trained))
    assert nli.models["nli"].startswith(str(trained))
    assert nli.models["nli_id"] == model_identity(str(trained))
    assert nli.models["nli_id"].startswith("nli-")
    sentences = [s.text for s in nli.library.sentences() if len(s.text.split()) > 8][:12]
    claims = sentences + ["The capital of Mongolia hosts the annual yak festival in winter."] * 3
    verdicts = nli.verify_many([(f"c{i}", c) for i, c in enumerate(claims)])
    assert all(0.0 <= v.checks["nli_entail"] <= 1.0 for v in verdicts[:12])
    assert all(v.checks["calibrated"] is False for v in verdicts)  # no calibrator fitted for it
    # A calibrator fitted for this embedder and this NLI model: calibrated, probabilities from it.
    names = FEATURES + NLI_FEATURES
    x = np.stack([feature_vector(v.checks, names) for v in verdicts])
    y = ["SUPPORTS", "REFUTES", "NOT ENOUGH INFO"] * 5
    meta = {"embedding": nli.models["embedding"], "nli": nli.models["nli_id"]}
    fit_calibrator(x, y, meta=meta, features=names).save(tmp_path / "cal.json")
    assert Calibrator.load(tmp_path / "cal.json").features == names
    matched = _verifier(
        papers_library, nli_model=str(trained), calibrator=str(tmp_path / "cal.json")
    )
    v = matched.verify_one(claims[0], "m")
    assert v.checks["calibrated"] is True and matched.calibrator.uses_nli
    # ... and the same calibrator with another NLI model (no card: a different identity).
    other = trained.parent / "other"
    _tiny_cross_encoder_from(trained, other)
    mismatched = _verifier(
        papers_library, nli_model=str(other), calibrator=str(tmp_path / "cal.json")
    )
    assert mismatched.verify_one(claims[0], "x").checks["calibrated"] is False
    for ver in (nli, matched, mismatched):
        ver.library.close()


def _tiny_cross_encoder_from(trained: Path, dest: Path) -> None:
    """The trained folder's weights and tokenizer without its card (an unknown NLI model)."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    AutoModelForSequenceClassification.from_pretrained(trained).save_pretrained(dest)
    AutoTokenizer.from_pretrained(trained).save_pretrained(dest)


def test_keyword_without_a_trained_model_is_one_clear_error(
    tmp_path: Path, papers_library: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("CLAIMLAB_CACHE", str(tmp_path / "cache"))
    with pytest.raises(FileNotFoundError, match="claimlab nli train"):
        resolve_nli_model(DEFAULT_KEYWORD)
    assert resolve_nli_model("some/hub-id") == "some/hub-id"
    claims = tmp_path / "claims.txt"
    claims.write_text("XLM-R outperforms mBERT on XNLI.\n")
    result = runner.invoke(
        app,
        ["verify", str(claims), "--library", str(papers_library), "--nli-model", DEFAULT_KEYWORD],
    )
    assert result.exit_code == 1
    assert "run `claimlab nli train` first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_calibrator_keeps_the_feature_list_it_was_fitted_with(tmp_path: Path):
    base = load_calibrator()
    # The packaged one reads the features it was fitted with (FEATURES may since have grown).
    assert set(base.features) <= set(FEATURES) and not base.uses_nli
    assert base.vector({n: 1.0 for n in FEATURES}).shape == (len(base.features),)
    data = base.to_json()
    data["features"] = [*data["features"], "no_such_feature"]
    data["weights"] = [[*row, 0.0] for row in data["weights"]]
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="no_such_feature"):
        Calibrator.load(tmp_path / "bad.json")
    # A calibrator fitted on fewer features than the code measures still predicts from its own.
    few = fit_calibrator(np.tile(np.eye(3)[:, :2], (4, 1)), ["SUPPORTS", "REFUTES", "NOT ENOUGH INFO"] * 4,
                         features=("sim", "cover"))  # fmt: skip
    few.save(tmp_path / "few.json")
    loaded = Calibrator.load(tmp_path / "few.json")
    assert loaded.features == ("sim", "cover")
    feats = {"sim": 1.0, "cover": 0.0, "negation": 1.0}
    assert np.allclose(
        loaded.predict_proba(loaded.vector(feats)), few.predict_proba(np.array([1.0, 0.0]))
    )
