"""replicate.train and replicate.features: batching, schedule, training, checkpoints, resume."""

from __future__ import annotations

from collections import Counter

import pytest
import torch

from replicate import models
from replicate.data import load_examples
from replicate.features import cached_features, collate, length_grouped_batches
from replicate.heads import TaskModel, make_head
from replicate.train import TaskData, TrainSettings, build_schedule, train
from tests.tiny_models import build_tiny_model, corpus_lines


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, shared_data):
    path = build_tiny_model(tmp_path_factory.mktemp("tiny") / "m", corpus_lines(shared_data))
    resolved = models.resolve_model(str(path))
    tok = models.load_tokenizer(resolved)
    examples = load_examples("snli", "validation", "en", cap=32, seed=0)
    feats = cached_features("pair_classification", examples, tok, 64)
    return resolved, tok, feats


def _model(resolved) -> TaskModel:
    torch.manual_seed(0)
    enc = models.load_encoder(resolved)
    return TaskModel(enc, {"snli": make_head("pair_classification", enc.config.hidden_size, 3)})


def test_length_grouping_and_dynamic_padding(tiny) -> None:
    _, tok, feats = tiny
    batches = length_grouped_batches(feats, 4, seed=1)
    assert sorted(i for b in batches for i in b) == list(range(len(feats)))
    for b in batches:
        batch = collate("pair_classification", [feats[i] for i in b], tok.pad_token_id)
        longest = max(len(feats[i]["input_ids"]) for i in b)
        assert batch["input_ids"].shape == (len(b), longest)  # padded to the batch, not max_length
        assert batch["attention_mask"].sum().item() == sum(len(feats[i]["input_ids"]) for i in b)
    # Sorted inside the chunk: the padding is much smaller than padding to the longest overall.
    padded = sum(len(b) * max(len(feats[i]["input_ids"]) for i in b) for b in batches)
    assert padded < len(feats) * max(len(f["input_ids"]) for f in feats)


def test_tokenise_once_cache_hits(tiny, monkeypatch) -> None:
    _, tok, feats = tiny
    examples = load_examples("snli", "validation", "en", cap=32, seed=0)
    import replicate.features as features

    def boom(*args, **kwargs):
        raise AssertionError("tokenised again")

    monkeypatch.setattr(features, "featurize", boom)
    assert features.cached_features("pair_classification", examples, tok, 64) == feats


def test_schedule_is_seeded_and_temperature_scaled() -> None:
    big = TaskData("big", "classification", [{"input_ids": [1] * 5}] * 900)
    small = TaskData("small", "classification", [{"input_ids": [1] * 5}] * 100)
    cfg = TrainSettings(batch_size=1, epochs=1, temperature=1.0, seed=3)
    sched = build_schedule([big, small], cfg)
    assert sched == build_schedule([big, small], cfg)
    share = Counter(t for t, _ in sched)["small"] / len(sched)
    assert 0.07 < share < 0.13  # T=1: proportional to size (0.1)
    hot = build_schedule([big, small], cfg.model_copy(update={"temperature": 100.0}))
    assert 0.4 < Counter(t for t, _ in hot)["small"] / len(hot) < 0.6  # T->inf: uniform


def test_training_learns_and_freezes_embeddings(tiny, tmp_path) -> None:
    resolved, tok, feats = tiny
    model = _model(resolved)
    emb_before = model.encoder.get_input_embeddings().weight.detach().clone()
    layer_before = model.encoder.encoder.layer[0].attention.self.query.weight.detach().clone()
    cfg = TrainSettings(
        learning_rate=3e-3,
        epochs=25,
        batch_size=8,
        grad_accum=1,
        freeze_embeddings=True,
        warmup_ratio=0.0,
    )
    data = [TaskData("snli", "pair_classification", feats)]
    train(model, data, cfg, tmp_path, tok.pad_token_id)
    assert torch.equal(model.encoder.get_input_embeddings().weight, emb_before)
    assert not torch.equal(model.encoder.encoder.layer[0].attention.self.query.weight, layer_before)
    model.eval()
    batch = collate("pair_classification", feats, tok.pad_token_id)
    with torch.no_grad():
        _, logits = model("snli", batch)
    accuracy = (logits.argmax(-1) == batch["labels"]).float().mean().item()
    assert accuracy >= 0.75  # memorises 32 training pairs; chance is ~0.33


def test_kill_and_resume_gives_identical_weights(tiny, tmp_path) -> None:
    resolved, tok, feats = tiny
    cfg = TrainSettings(
        learning_rate=1e-3, epochs=2, batch_size=4, grad_accum=2, checkpoint_every=1
    )
    data = [TaskData("snli", "pair_classification", feats)]
    straight = _model(resolved)
    train(straight, data, cfg, tmp_path / "a", tok.pad_token_id)
    resumed = _model(resolved)
    train(resumed, data, cfg, tmp_path / "b", tok.pad_token_id, stop_after_steps=3)
    assert torch.load(tmp_path / "b" / "checkpoint.pt", weights_only=False)[
        "config"
    ] == cfg.model_dump(mode="json")
    fresh = _model(resolved)  # a new process would start from the pretrained weights again
    train(fresh, data, cfg, tmp_path / "b", tok.pad_token_id)
    for (name, a), (_, b) in zip(
        straight.state_dict().items(), fresh.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    other = cfg.model_copy(update={"learning_rate": 5e-4})
    with pytest.raises(ValueError, match="another config"):
        train(_model(resolved), data, other, tmp_path / "b", tok.pad_token_id)


def test_half_precision_refused_on_cpu(tiny, tmp_path) -> None:
    resolved, tok, feats = tiny
    if torch.cuda.is_available():
        pytest.skip("GPU present")
    cfg = TrainSettings(precision="bf16", epochs=1, batch_size=8)
    with pytest.raises(ValueError, match="needs a GPU"):
        train(
            _model(resolved),
            [TaskData("snli", "pair_classification", feats)],
            cfg,
            tmp_path,
            tok.pad_token_id,
        )
