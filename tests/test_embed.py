"""The ONNX Runtime encoder: fp32 (the default) gives the torch vectors without importing torch; the
opt-in int8 graph is another encoder, stamped and cached apart, whose vectors never depend on their
batchmates; fallbacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from synth.embed import (
    INT8_FILE,
    INT8_SUFFIX,
    Embedder,
    EmbedError,
    EmbedSettings,
    content_hash,
    resolve_model,
)
from synth.library import Library
from synth.onnx_encoder import OnnxEncoder, OnnxUnsupported, model_recipe, quantize_per_token

REPO = Path(__file__).resolve().parents[1]
TEXTS = [
    "There is a performance gap of approximately 6.15% between English and Turkish.",
    "Surprisingly, mBERT demonstrates a similar resilience to pruning as BERT.",
    "A man is playing a guitar.",
    "XLM-R Large reaches 79.2 accuracy on XNLI (zero-shot, 15 languages).",
    "Ünïcödé, accents and CAPITALS are normalised like the torch tokenizer does.",
    "word " * 400,  # longer than max_seq_length: truncated the same way
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library(tmp_path_factory.mktemp("embed") / "library")
    yield lib
    lib.close()


def test_onnx_gives_the_torch_vectors(library: Library):
    torch_emb = Embedder(EmbedSettings(backend="torch"), library)
    onnx_emb = Embedder(EmbedSettings(), library)  # auto: the fp32 graph
    assert onnx_emb.backend == "onnx" and torch_emb.backend == "torch"
    assert onnx_emb.stamp == torch_emb.stamp  # same vectors, same cache entries, same calibrator
    a = torch_emb.encode(TEXTS, use_cache=False)
    b = onnx_emb.encode(TEXTS, use_cache=False)  # exports the graph into the library
    assert onnx_emb.onnx_path().is_file()
    assert onnx_emb.onnx_path().is_relative_to(library.directory / "cache")
    assert np.abs(a - b).max() < 1e-4
    assert (a * b).sum(axis=1).min() > 0.9999
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    # Batch size and order do not change a vector (length-sorted batches, padding masked out).
    c = onnx_emb._onnx_encoder().encode(TEXTS[::-1], batch_size=2)[::-1]
    assert np.abs(b - c).max() < 1e-5


def test_tokenization_matches_sentence_transformers(library: Library):
    emb = Embedder(EmbedSettings(), library)
    emb.encode(["export the graph if not yet there"], use_cache=False)
    encoder = emb._onnx_encoder()
    st_ids = emb.model.tokenizer(TEXTS, truncation=True, max_length=emb.model.max_seq_length)[
        "input_ids"
    ]
    assert [e.ids for e in encoder.tokenizer.encode_batch(TEXTS)] == st_ids
    assert encoder.recipe == {
        "pooling": "mean",
        "normalize": True,
        "max_seq_length": 256,
        "do_lower_case": False,
        "dim": 384,
    }


def test_a_model_saved_by_this_sentence_transformers_runs_on_onnx_too(tmp_path: Path):
    """sentence-transformers 6 saves modules under new names ('...modules.pooling.Pooling') and its
    pooling as "pooling_mode": "mean": the same recipe, the same vectors as the packaged folder."""
    from sentence_transformers import SentenceTransformer

    packaged = resolve_model("all-MiniLM-L6-v2")[0]
    saved = tmp_path / "minilm-resaved"
    SentenceTransformer(packaged, device="cpu").save(str(saved))
    recipe = model_recipe(saved)
    assert {k: v for k, v in recipe.items() if k != "do_lower_case"} == {
        k: v for k, v in model_recipe(packaged).items() if k != "do_lower_case"
    }
    with Library(tmp_path / "lib") as lib:
        onnx_emb = Embedder(EmbedSettings(model=str(saved)), lib)
        torch_emb = Embedder(EmbedSettings(model=str(saved), backend="torch"), lib)
        assert onnx_emb.backend == "onnx"
        a = torch_emb.encode(TEXTS, use_cache=False)
        b = onnx_emb.encode(TEXTS, use_cache=False)
    assert (a * b).sum(axis=1).min() > 0.9999


def test_int8_is_a_different_encoder(library: Library):
    fp32 = Embedder(EmbedSettings(backend="onnx"), library)
    int8 = Embedder(EmbedSettings(backend="onnx-int8"), library)
    assert int8.backend == "onnx-int8"
    assert int8.stamp == fp32.stamp + INT8_SUFFIX == fp32.stamp + "+onnx-int8-per-token"
    assert int8.onnx_path().name == INT8_FILE != "model-int8.onnx"  # not session 13's graph
    a, b = fp32.encode(TEXTS[:4]), int8.encode(TEXTS[:4])
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.99 and np.abs(a - b).max() > 1e-4  # close, but not the same vectors
    stamps = {r[0] for r in library.conn.execute("SELECT DISTINCT model FROM embeddings")}
    assert {fp32.stamp, int8.stamp} <= stamps  # cached apart, never mixed
    # The settings hash ignores the runtime; the stamp on every verdict names it.
    assert EmbedSettings(backend="onnx-int8").settings_hash() == EmbedSettings().settings_hash()


def test_int8_is_opt_in_close_to_fp32_and_read_back_under_its_own_key(library: Library):
    """Session 25 judged int8 as the default on the speed track: DO NOT KEEP (written log loss
    0.7719 -> 0.7752), so 'auto' stays fp32 and the int8 graph a setting with its own key."""
    auto = Embedder(EmbedSettings(), library)
    int8 = Embedder(EmbedSettings(backend="onnx-int8"), library)
    assert auto.backend == "onnx" and auto.stamp == resolve_model("all-MiniLM-L6-v2")[1]
    assert int8.backend == "onnx-int8" and int8.stamp.endswith(INT8_SUFFIX)
    assert int8.onnx_path() != auto.onnx_path()  # two graphs, and two cache keys
    a, b = int8.encode(TEXTS), auto.encode(TEXTS)
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.985 and cos.mean() > 0.99  # tuning claims: mean 0.9966, min 0.989
    assert not np.array_equal(a, b)
    for stamp, want in ((int8.stamp, a), (auto.stamp, b)):  # each read back under its own key
        rows = library.conn.execute(
            "SELECT vector FROM embeddings WHERE model=? AND content_hash=?",
            (stamp, content_hash(TEXTS[0])),
        ).fetchall()
        assert len(rows) == 1 and np.array_equal(np.frombuffer(rows[0][0], np.float32), want[0])


def test_int8_vector_does_not_depend_on_its_batchmates(library: Library):
    """Each token's activations have their own scale: a text's vector is the same alone, beside
    other texts, padded to a longer one, and in another order."""
    encoder = Embedder(EmbedSettings(backend="onnx-int8"), library)._onnx_encoder()
    alone = np.stack([encoder.encode([t])[0] for t in TEXTS])
    together = encoder.encode(TEXTS)
    padded = encoder.encode(TEXTS[::-1], batch_size=64)[::-1]
    pairs = encoder.encode([TEXTS[0], TEXTS[5], *TEXTS[1:5]], batch_size=2)
    assert np.abs(alone - together).max() < 1e-6 and np.abs(together - padded).max() < 1e-6
    assert np.abs(pairs[[0, 2, 3, 4, 5, 1]] - together).max() < 1e-6
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_quantize_per_token_replaces_every_weight_matmul(library: Library, tmp_path: Path):
    import onnx

    fp32 = Embedder(EmbedSettings(backend="onnx"), library)
    fp32.encode(["export the fp32 graph if not yet there"], use_cache=False)
    dest = tmp_path / "int8.onnx"
    replaced = quantize_per_token(fp32.onnx_path(), dest)
    ops = [n.op_type for n in onnx.load(str(dest)).graph.node]
    assert replaced == 36 == ops.count("MatMulIntegerToFloat")  # 6 layers x (q, k, v, out, 2 FFN)
    assert ops.count("QuantizeLinear") == 24  # q, k and v share their input's quantization
    assert "DynamicQuantizeLinear" not in ops  # no scale shared across a batch


def test_fallbacks_and_refusals(tmp_path: Path, library: Library):
    assert Embedder(EmbedSettings()).backend == "torch"  # no library to keep the graph in
    with pytest.raises(EmbedError, match="needs a local"):
        Embedder(EmbedSettings(backend="onnx"))
    folder = tmp_path / "dense-model"
    folder.mkdir()
    (folder / "tokenizer.json").write_text("{}")
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]))  # fmt: skip
    with pytest.raises(OnnxUnsupported, match="Dense"):
        model_recipe(folder)
    assert model_recipe(resolve_model("all-MiniLM-L6-v2")[0])["pooling"] == "mean"
    assert isinstance(Embedder(EmbedSettings(), library)._onnx_encoder(), OnnxEncoder)


def test_verify_process_does_not_import_torch(library: Library, tmp_path: Path):
    """With the graph exported and the sentences cached, verification never imports torch."""
    from synth.records import Paper, Passage, Sentence

    lib_dir = tmp_path / "lib"
    with Library(lib_dir) as lib:
        paper = Paper(paper_id="text:abc", title="t", source="text", sha256="abc")
        lib.add_paper(
            paper,
            [Passage(paper_id="text:abc", seq=0, page=1, section="Body", text=" ".join(TEXTS))],
            [Sentence(paper_id="text:abc", page=1, section="Body", text=t, passage_id=0)
             for t in TEXTS],
        )  # fmt: skip
        Embedder(EmbedSettings(), lib).encode(TEXTS)  # export + cache, as a first run would
        Embedder(EmbedSettings(backend="onnx-int8"), lib).encode(TEXTS)  # and the int8 graph
    script = textwrap.dedent(
        f"""
        import sys
        from synth.library import Library
        from synth.verify import Verifier
        lib = Library({str(lib_dir)!r})
        v = Verifier(lib).verify_many([("1", "English and Turkish differ by about 6.15%.")])
        assert v[0].models["embedding"].startswith("all-MiniLM-L6-v2@"), v[0].models
        assert not v[0].models["embedding"].endswith({INT8_SUFFIX!r}), v[0].models
        # The int8 graph is a setting; it loads offline too, and its verdicts say which it was.
        from synth.embed import EmbedSettings
        from synth.search import SearchSettings
        from synth.verify import VerifySettings
        int8 = VerifySettings(search=SearchSettings(embed=EmbedSettings(backend="onnx-int8")))
        w = Verifier(lib, int8).verify_many([("1", "English and Turkish differ by about 6.15%.")])
        assert w[0].models["embedding"].endswith({INT8_SUFFIX!r}), w[0].models
        assert w[0].checks["calibrated"] is False  # the calibrator was fitted on fp32 vectors
        print(sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules))
        """
    )
    offline = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
        env=offline,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_cli_rejects_an_unknown_backend(tmp_path: Path):
    from typer.testing import CliRunner

    from claimlab.cli import app

    claims = tmp_path / "claims.txt"
    claims.write_text("mBERT is as resilient to pruning as BERT.\n")
    result = CliRunner().invoke(app, ["verify", str(claims), "--embed-backend", "tensorrt"])
    assert result.exit_code == 2
    assert "--embed-backend: 'tensorrt' is not one of auto, torch, onnx, onnx-int8" in result.stderr


def test_export_failure_falls_back_to_torch_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # as on a machine without the onnx package
    with Library(tmp_path / "lib") as lib:
        emb = Embedder(EmbedSettings(), lib)
        assert emb.backend == "onnx"
        assert emb.encode(["a claim"], use_cache=False).shape == (1, 384)  # torch did it
        assert emb.backend == "torch" and emb.stamp == resolve_model("all-MiniLM-L6-v2")[1]
        marker = emb.onnx_path().parent / "export-failed.txt"
        assert marker.is_file() and "onnx" in marker.read_text()
        assert Embedder(EmbedSettings(), lib).backend == "torch"  # not tried again every run
        with pytest.raises(EmbedError, match="ONNX export or load failed"):
            Embedder(EmbedSettings(backend="onnx"), lib).encode(["x"], use_cache=False)


def _streamed(emb: Embedder, texts: list[str], **kw) -> tuple[np.ndarray, list[int]]:
    rows, seen = np.zeros((len(texts), 384), dtype=np.float32), []
    for idx, vecs in emb.encode_stream(texts, **kw):
        rows[idx] = vecs
        seen += idx
    return rows, seen


def test_encode_stream_gives_the_vectors_of_encode(tmp_path: Path):
    """The streamed vectors (cached first, then batch by batch from a thread running ahead) are
    encode's, to the bit; every index comes once; new vectors reach the cache at the end."""
    texts = [
        *TEXTS,
        TEXTS[0],
        *(f"Claim {k}: model {k} reaches {k}.5 F1 on task {k}." for k in range(40)),
    ]
    with Library(tmp_path / "lib") as lib:
        emb = Embedder(EmbedSettings(), lib)
        want = emb.encode(texts, use_cache=False)
        emb.encode(texts[:3])  # these three are cached
        emb._onnx_encoder().max_tokens = 64  # many small batches
        got, seen = _streamed(emb, texts)
        assert sorted(seen) == list(range(len(texts))) and seen[:3] == [0, 1, 2]
        assert np.array_equal(got, want)
        cached = emb._read_cache([content_hash(t) for t in texts])
        assert len(cached) == len(set(texts))
        # Without the cache: the same vectors; and the torch runtime streams them in one go.
        assert np.array_equal(_streamed(emb, texts, use_cache=False)[0], want)
        torch_emb = Embedder(EmbedSettings(backend="torch"), lib)
        assert len(list(torch_emb.encode_stream(texts[:4], use_cache=False))) == 1


def test_encode_stream_stopped_early_keeps_what_it_encoded(tmp_path: Path):
    texts = [f"Sentence {k} about the {k}th language pair and its BLEU score." for k in range(30)]
    with Library(tmp_path / "lib") as lib:
        emb = Embedder(EmbedSettings(), lib)
        emb._onnx_encoder().max_tokens = 32
        stream = emb.encode_stream(texts)
        first, _ = next(stream)
        stream.close()  # the encoder thread stops; the vectors done so far are cached
        cached = emb._read_cache([content_hash(t) for t in texts])
        assert {content_hash(texts[i]) for i in first} <= set(cached)
        assert all(t.name != "encode-ahead" for t in threading.enumerate())
        assert not [t for t in threading.enumerate() if t.name.startswith("onnx-encode")]


def test_batches_side_by_side_give_the_vectors_of_one_at_a_time(library: Library):
    """Batches run on several threads at once, each on one: the same batches, in the same
    order, and every vector to the bit."""
    emb = Embedder(EmbedSettings(), library)
    emb.encode(["export the graph if not yet there"], use_cache=False)
    texts = [*TEXTS, *(f"Claim {k}: model {k} reaches {k}.5 F1 on task {k}." for k in range(40))]
    one = OnnxEncoder(emb.onnx_path(), emb.where, threads=1, max_tokens=64)
    three = OnnxEncoder(emb.onnx_path(), emb.where, threads=3, max_tokens=64)
    assert one.workers == 1 and three.workers == 3
    runs = [list(one.batches(texts)), list(three.batches(texts))]
    assert len(runs[0]) > 6  # many batches, several in flight at once
    assert [idx for idx, _ in runs[0]] == [idx for idx, _ in runs[1]]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(*runs, strict=True))
    assert np.array_equal(one.encode(texts), three.encode(texts))
    # A caller that stops early: the batches in flight finish, the pool's threads are gone.
    batches = three.batches(texts)
    next(batches)
    batches.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("onnx-encode")]


@pytest.mark.parametrize(
    ("device", "why"),
    [
        ("xpu", "use cpu, cuda[:N] or mps"),
        ("tpu", "is not a torch device"),
        ("gpu please", "is not a torch device"),
        ("cuda:7", "CUDA"),  # no machine that runs the suite has eight GPUs
    ],
)
def test_cli_rejects_a_device_it_cannot_use(tmp_path: Path, device: str, why: str):
    from typer.testing import CliRunner

    from claimlab.cli import app

    claims = tmp_path / "claims.txt"
    claims.write_text("mBERT is as resilient to pruning as BERT.\n")
    result = CliRunner().invoke(app, ["verify", str(claims), "--device", device])
    assert result.exit_code == 2
    line = result.stderr.strip().splitlines()
    assert len(line) == 1 and line[0].startswith(f"error: --device: '{device}'") and why in line[0]


def test_device_is_part_of_the_verdicts_settings_hash():
    from claimlab.cli_claims import check_device
    from synth.search import SearchSettings
    from synth.verify import VerifySettings

    assert check_device("cpu") is None
    on = {
        d: VerifySettings(search=SearchSettings(embed=EmbedSettings(device=d)))
        for d in ("cpu", "cuda")
    }
    assert on["cpu"].settings_hash() == VerifySettings(search=SearchSettings()).settings_hash()
    assert on["cuda"].settings_hash() != on["cpu"].settings_hash()


def test_stored_verdicts_are_keyed_by_the_encoder_and_calibrator_too(library: Library, tmp_path):
    """The demo reuses a stored verdict only under ``Verifier.store_key``: the settings hash
    (runtime left out) and the stamped models, so an int8 encoder or another calibrator verifies
    anew instead of reading fp32's verdicts."""
    from synth.calibrate import prior_calibrator
    from synth.search import SearchSettings
    from synth.verify import Verifier, VerifySettings

    def verifier(backend: str = "auto", calibrator: str | None = None) -> Verifier:
        search = SearchSettings(top_k=10, embed=EmbedSettings(backend=backend))
        return Verifier(library, VerifySettings(search=search, calibrator=calibrator))

    prior = tmp_path / "prior.json"
    prior_calibrator().save(prior)
    fp32, int8, other = verifier(), verifier("onnx-int8"), verifier(calibrator=str(prior))
    assert fp32.settings_hash == int8.settings_hash  # the runtime is not a setting ...
    assert fp32.store_key != int8.store_key  # ... but it is part of what a verdict is stored under
    assert fp32.store_key != other.store_key  # so is the calibrator
    assert fp32.store_key == verifier().store_key and fp32.store_key.startswith(fp32.settings_hash)
