"""Which claims count as English: technical claims with few function words do; others do not."""

from __future__ import annotations

import pytest

from synth.language import guess_language, looks_english


@pytest.mark.parametrize(
    "text",
    [
        # Claims from bench/dev that the old stop-word rule refused as "not in English".
        "GPT-4 produces even more diverse paraphrases than gpt-3.5-turbo.",
        "Crowd workers who secretly used ChatGPT produced less diverse paraphrases.",
        "XLM-R outperforms mBERT.",
        "Pruning attention heads in mBERT hurts low-resource languages much more than English.",
    ],
)
def test_english_claims(text: str) -> None:
    assert looks_english(text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Modell erreicht eine Genauigkeit von 85 Prozent auf XNLI.", "de"),
        ("Der Ansatz ist in XNLI besser als mBERT.", "de"),
        ("Le modèle atteint une précision de 85 % sur XNLI.", "fr"),
        ("El modelo alcanza una precisión del 85 % en XNLI.", "es"),
        ("Il modello raggiunge una precisione del 85 % in XNLI.", "it"),
        ("Model ini mencapai akurasi 85 persen pada XNLI.", "id"),
        ("Türkçe doğruluk yüzde 66 ve bu İngilizce için daha düşük.", "tr"),
        ("模型在XNLI上的准确率为85%。", None),
        ("Модель достигает 85% на XNLI.", None),
        ("12.5 %", None),
    ],
)
def test_other_languages(text: str, lang: str | None) -> None:
    assert guess_language(text) == lang
    assert not looks_english(text)
