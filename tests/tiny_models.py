"""Tiny real models for tests: a Unigram tokenizer trained on a few KB of real text + a small XLM-R.

Built inside the test (well under a second of training per step), saved as an ordinary
``transformers`` folder, and loaded through the same path (``replicate.models.resolve_model``) as any
local model.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def corpus_lines(data_dir: Path, per_file: int = 60) -> list[str]:
    """A few KB of real multilingual text from the shared data (SNLI, XNLI, Tatoeba, AmericasNLI)."""
    files = [
        data_dir / "english" / "snli" / "s1.dev",
        data_dir / "english" / "snli" / "s2.dev",
        data_dir / "xnli" / "myxnli_sw_ur_my" / "sw.genre.test.tsv",
        data_dir / "xnli" / "myxnli_sw_ur_my" / "ur.genre.test.tsv",
        data_dir / "xnli" / "xtreme_dev_15lang" / "dev-de.tsv",
        data_dir / "americasnli" / "test" / "quy.tsv",
        data_dir / "tatoeba" / "tatoeba.deu-eng.deu",
        data_dir / "tatoeba" / "tatoeba.fra-eng.fra",
        data_dir / "tatoeba" / "tatoeba.deu-eng.eng",
    ]
    lines: list[str] = []
    for path in files:
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                for i, line in enumerate(handle):
                    if i >= per_file:
                        break
                    lines.append(line.strip())
    return [line for line in lines if line]


def build_tiny_model(
    dest: Path,
    texts: Iterable[str],
    vocab_size: int = 600,
    hidden: int = 32,
    layers: int = 2,
    max_positions: int = 258,
) -> Path:
    """Train a Unigram tokenizer on ``texts`` and save it with a random small XLM-R encoder."""
    from tokenizers import SentencePieceUnigramTokenizer
    from tokenizers.processors import TemplateProcessing
    from transformers import PreTrainedTokenizerFast, XLMRobertaConfig, XLMRobertaModel

    tok = SentencePieceUnigramTokenizer()
    tok.train_from_iterator(
        list(texts),
        vocab_size=vocab_size,
        special_tokens=SPECIALS,
        unk_token="<unk>",
        show_progress=False,
    )
    ids = {t: tok.token_to_id(t) for t in SPECIALS}
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", ids["<s>"]), ("</s>", ids["</s>"])],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
    )
    config = XLMRobertaConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=hidden * 2,
        max_position_embeddings=max_positions,
        pad_token_id=ids["<pad>"],
        bos_token_id=ids["<s>"],
        eos_token_id=ids["</s>"],
    )
    dest.mkdir(parents=True, exist_ok=True)
    XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(dest)
    fast.save_pretrained(dest)
    return dest
