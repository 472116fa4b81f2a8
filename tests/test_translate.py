from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tiny_marian import TURKISH

from aligner.cache import TranslationCache
from aligner.errors import ConfigError, InputError, ModelUnavailableError
from aligner.translate import FileTranslations, MarianTranslator, default_model, model_registry


def test_registry_has_the_turkish_models_and_no_opus_mt_en_tr() -> None:
    ids = {info.id for info in model_registry()}
    assert "Helsinki-NLP/opus-mt-tr-en" in ids
    assert "Helsinki-NLP/opus-mt-en-tr" not in ids
    assert default_model("tr", "en").id == "Helsinki-NLP/opus-mt-tr-en"
    assert default_model("en", "tr").id == "Helsinki-NLP/opus-mt-tc-big-en-tr"
    for lang in ("de", "fr", "es", "ru"):
        assert default_model(lang, "en").licence and default_model("en", lang).size_mb > 0
    with pytest.raises(ConfigError, match="no known MarianMT model"):
        default_model("tr", "ja")


def test_marian_translates_in_order_and_caches(tiny_marian: Path, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "t.sqlite")
    translator = MarianTranslator(str(tiny_marian), cache=cache, batch_size=3)
    sentences = TURKISH[:5] + [TURKISH[0]]
    first = translator.translate(sentences)
    assert len(first) == 6 and first[0] == first[5]
    # each translation equals the one obtained alone: sorting and batching do not change results
    assert [translator.translate([s])[0] for s in sentences[:3]] == first[:3]
    rows = sqlite3.connect(tmp_path / "t.sqlite").execute("SELECT COUNT(*), COUNT(DISTINCT model) FROM entry").fetchone()
    assert rows == (5, 1)  # de-duplicated, one model key
    # a re-run translates nothing: the cache answers even when the model is gone
    translator.model = None
    assert translator.translate(sentences) == first


def test_special_ids_come_from_the_model(tiny_marian: Path) -> None:
    translator = MarianTranslator(str(tiny_marian), cache=None)
    assert translator.tokenizer.pad_token_id == translator.model.config.pad_token_id == len(translator.tokenizer.get_vocab()) - 1


def test_missing_hub_model_offline_gives_one_clear_line() -> None:
    with pytest.raises(ModelUnavailableError) as caught:
        MarianTranslator("Helsinki-NLP/opus-mt-tr-en", cache=None)
    message = str(caught.value)
    assert "\n" not in message and "not in the local Hugging Face cache" in message and "--model" in message


def test_folder_without_config_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="not a model folder"):
        MarianTranslator(str(tmp_path), cache=None)


def test_translation_file_must_match_the_sentence_count(tmp_path: Path) -> None:
    file = tmp_path / "mt.txt"
    file.write_text("one\n\nthree\n", encoding="utf-8")
    translations = FileTranslations(file)
    assert translations.translate(["a", "b", "c"]) == ["one", "", "three"]
    with pytest.raises(InputError, match="has 3 lines but the source has 2 sentences"):
        translations.translate(["a", "b"])
