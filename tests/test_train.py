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


@pytest.mark.slow
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
    # train() moves the model to the GPU where there is one: compare on the CPU
    assert torch.equal(model.encoder.get_input_embeddings().weight.cpu(), emb_before)
    assert not torch.equal(
        model.encoder.encoder.layer[0].attention.self.query.weight.cpu(), layer_before
    )
    model.cpu().eval()
    batch = collate("pair_classification", feats, tok.pad_token_id)
    with torch.no_grad():
        _, logits = model("snli", batch)
    accuracy = (logits.argmax(-1) == batch["labels"]).float().mean().item()
    assert accuracy >= 0.5  # fits most of 32 training pairs (seen: 0.59-0.9); chance is ~0.33


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


def test_multitask_training_updates_every_head(tiny, tmp_path) -> None:
    resolved, tok, feats = tiny
    mc = load_examples("socialiqa", "validation", "en", cap=24, seed=0)
    mc_feats = cached_features("multiple_choice", mc, tok, 64)
    assert len(mc_feats[0]["input_ids"]) == 3  # one sequence per answer option
    torch.manual_seed(0)
    enc = models.load_encoder(resolved)
    heads = {
        "snli": make_head("pair_classification", enc.config.hidden_size, 3),
        "socialiqa": make_head("multiple_choice", enc.config.hidden_size, 0),
    }
    model = TaskModel(enc, heads)
    before = {k: v.clone() for k, v in model.state_dict().items() if k.startswith("heads.")}
    data = [
        TaskData("snli", "pair_classification", feats),
        TaskData("socialiqa", "multiple_choice", mc_feats),
    ]
    cfg = TrainSettings(learning_rate=1e-3, epochs=1, batch_size=4, grad_accum=1)
    assert {t for t, _ in build_schedule(data, cfg)} == {"snli", "socialiqa"}
    train(model, data, cfg, tmp_path, tok.pad_token_id)
    after = model.state_dict()
    for task in ("snli", "socialiqa"):
        assert any(
            not torch.equal(v, after[k].cpu())
            for k, v in before.items()
            if k.startswith(f"heads.{task}.")
        )


def test_tagging_features_label_first_subwords_and_decode(tiny) -> None:
    from replicate.features import decode, featurize
    from replicate.heads import IGNORE
    from replicate.records import TaggingExample

    _, tok, _ = tiny
    labels = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    ex = TaggingExample("t/0", ("Juma", "anaishi", "Nairobi"), ("B-PER", "O", "B-LOC"))
    (feat,) = featurize("tagging", [ex], tok, 32, labels)
    firsts = [t for t in feat["labels"] if t != IGNORE]
    assert firsts == [1, 0, 3]  # one label per word, on its first sub-word only
    logits = torch.full((len(feat["input_ids"]), len(labels)), -5.0)
    for pos, w in enumerate(feat["meta"]["word_ids"]):
        if w is not None:
            logits[pos, [1, 0, 3][w]] = 5.0
    assert decode("tagging", feat, logits, labels) == ["B-PER", "O", "B-LOC"]


def test_qa_features_find_the_answer_span(tiny) -> None:
    from replicate.features import decode, featurize
    from replicate.records import QAExample

    _, tok, _ = tiny
    context = "The dog ran to the park in the morning."
    ex = QAExample(
        "q/0", "Where did the dog run?", context, ("the park",), (context.index("the park"),)
    )
    (feat,) = featurize("qa", [ex], tok, 64)
    s, e = feat["start_positions"], feat["end_positions"]
    assert 0 < s <= e
    offsets = feat["meta"]["offsets"]
    assert context[offsets[s][0] : offsets[e][1]].strip() == "the park"
    logits = torch.full((len(feat["input_ids"]), 2), -5.0)
    logits[s, 0] = logits[e, 1] = 5.0
    assert decode("qa", feat, logits).strip() == "the park"
