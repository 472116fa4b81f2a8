from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest
from tiny_marian import TURKISH

from aligner.cache import TranslationCache
from aligner.errors import ConfigError, InputError, ModelUnavailableError
from aligner.translate import FileTranslations, MarianTranslator, default_model, halves, model_id, model_registry


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


def test_a_direction_without_a_registered_model_gets_the_opus_mt_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """zh→en is not in the registry but OPUS-MT publishes it as opus-mt-zh-en: the run tries that
    name, and offline says in one line that it is not in the cache; en→tr keeps the registry's
    tc-big model (there is no opus-mt-en-tr)."""
    from aligner.errors import ModelUnavailableError
    from aligner.pipeline import AlignConfig, shared_models

    assert model_id("tr", "en") == "Helsinki-NLP/opus-mt-tr-en" and model_id("en", "tr") == "Helsinki-NLP/opus-mt-tc-big-en-tr"
    assert model_id("zh", "en") == "Helsinki-NLP/opus-mt-zh-en" and model_id("en", "is") == "Helsinki-NLP/opus-mt-en-is"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError, match=r"^model Helsinki-NLP/opus-mt-zh-en is not in the local Hugging Face cache"):
        shared_models(AlignConfig("zh", "en")).translator("zh", "en")


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


def test_a_sentence_too_long_for_the_model_is_translated_in_pieces(tiny_marian: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The model reads at most ``max_positions`` pieces (128 here) and writes as many: a longer
    sentence came back translated in part. It is cut at clause breaks into pieces of at most half
    that, each translated alone and joined; forced decoding leaves a pair it would truncate
    unscored (nan) and says so."""
    translator = MarianTranslator(str(tiny_marian), cache=None)
    long = ", ".join(TURKISH)
    assert len(translator.tokenizer(long).input_ids) > 2 * translator.max_positions
    pieces = translator._input_pieces(long)
    assert len(pieces) > 2 and " ".join(pieces).split() == long.split() and all(piece.endswith(",") for piece in pieces[:-1])
    assert all(len(translator.tokenizer(piece).input_ids) <= translator.max_positions // 2 for piece in pieces)
    whole = translator.translate([long, TURKISH[0]])
    separately = translator.translate([*pieces, TURKISH[0]])  # the same batches (a random model's output runs to the batch's cap)
    assert whole == [" ".join(separately[:-1]), separately[-1]]
    expected = translator.cross_entropy([TURKISH[0]], [whole[1]])
    with caplog.at_level("WARNING"):
        scores = translator.cross_entropy([long, TURKISH[0], TURKISH[0]], ["short", whole[1], long])
    assert math.isnan(scores[0]) and math.isnan(scores[2]) and scores[1] == pytest.approx(expected[0], abs=1e-5)
    assert "2 pairs longer than the model's 128 pieces are not scored" in caplog.text


def test_halves_cut_at_a_clause_break_near_the_middle() -> None:
    assert halves("one two three, four five six seven eight") == ("one two three,", "four five six seven eight")
    assert halves("a, b c d e f g h i j k l m n o p q r s t") == ("a, b c d e f g h i j", "k l m n o p q r s t")  # the break is too far
    assert halves("東京都知事は記者会見で述べた") == ("東京都知事は記", "者会見で述べた")


def test_special_ids_come_from_the_model(tiny_marian: Path) -> None:
    translator = MarianTranslator(str(tiny_marian), cache=None)
    assert translator.tokenizer.pad_token_id == translator.model.config.pad_token_id == len(translator.tokenizer.get_vocab()) - 1


def test_missing_hub_model_offline_gives_one_clear_line() -> None:
    with pytest.raises(ModelUnavailableError) as caught:
        MarianTranslator("Helsinki-NLP/opus-mt-tr-en", cache=None)
    message = str(caught.value)
    assert "\n" not in message and "not in the local Hugging Face cache" in message and message.endswith("a local folder with --model")
    # the other direction's model is named by --reverse-model: its remedy says so
    from aligner.pipeline import AlignConfig, shared_models

    models = shared_models(AlignConfig("tr", "en", mt_backend="transformers", use_cache=False))
    with pytest.raises(ModelUnavailableError, match=r"opus-mt-tc-big-en-tr .* a local folder with --reverse-model$"):
        models.translator("en", "tr")
    with pytest.raises(ModelUnavailableError, match=r"opus-mt-tr-en .* a local folder with --model$"):
        models.translator("tr", "en")


def test_folder_without_config_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="not a model folder"):
        MarianTranslator(str(tmp_path), cache=None)


def test_translation_file_must_match_the_sentence_count(tmp_path: Path) -> None:
    file = tmp_path / "mt.txt"
    file.write_text("one\n\nthree\n", encoding="utf-8")
    translations = FileTranslations(file)
    assert translations.translate(["a", "b", "c"]) == ["one", "", "three"]
    # the blank line between two paragraphs of a presegmented document, kept by its translation
    assert translations.translate(["a", "b"]) == ["one", "three"]
    with pytest.raises(InputError, match="has 3 lines but the source has 4 sentences"):
        translations.translate(["a", "b", "c", "d"])


def test_token_batches_keep_within_the_budget_and_isolate_long_sentences() -> None:
    from aligner.translate import token_batches

    lengths = [5, 300, 7, 6, 5, 8, 40]
    batches = token_batches(lengths, budget=32, most=3)
    assert sorted(k for batch in batches for k in batch) == list(range(len(lengths)))
    assert [1] in batches and [6] in batches  # longer than the budget, or only fits alone: a batch of its own
    for batch in batches:
        assert len(batch) <= 3 and (len(batch) == 1 or max(lengths[k] for k in batch) * len(batch) <= 32)
        assert [lengths[k] for k in batch] == sorted(lengths[k] for k in batch)


@pytest.mark.parametrize("compute_type", ["float32", "int8"])
def test_ctranslate2_agrees_with_transformers(
    tiny_marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compute_type: str
) -> None:
    """The CTranslate2 backend (converted into the cache once) gives the reference backend's greedy
    translations, and its forced-decoding cross-entropy within 1e-3 nats (float32) or 0.05 (int8)."""
    pytest.importorskip("ctranslate2")
    from aligner.translate import CTranslate2Translator

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    # on the CPU, where both backends run in float32 (transformers runs fp16 on CUDA)
    reference = MarianTranslator(str(tiny_marian), device="cpu", cache=None, batch_size=3)
    fast = CTranslate2Translator(str(tiny_marian), device="cpu", cache=None, batch_size=3, compute_type=compute_type)
    assert fast.key.startswith(f"ct2-{compute_type}:") and fast.key != reference.key
    assert len(list((tmp_path / "cache" / "ct2").iterdir())) == 1  # converted once, keyed by model and quantization
    sentences = TURKISH[:6]
    translations = fast.translate(sentences)
    if compute_type == "float32":
        assert translations == reference.translate(sentences)
    else:  # int8 may break a near tie of a random model's logits, never the shape of the output
        assert len(translations) == len(sentences) and all(isinstance(t, str) for t in translations)
    targets = reference.translate(sentences)
    expected = reference.cross_entropy(sentences, targets)
    measured = fast.cross_entropy(sentences, targets)
    tolerance = 1e-3 if compute_type == "float32" else 0.05
    assert measured == pytest.approx(expected, abs=tolerance)
    assert math.isnan(fast.cross_entropy([", ".join(TURKISH)], [targets[0]])[0])  # too long for the model: not scored
    # a second translator finds the conversion in the cache
    again = CTranslate2Translator(str(tiny_marian), device="cpu", cache=None, compute_type=compute_type)
    assert again.cross_entropy(sentences[:2], targets[:2]) == pytest.approx(measured[:2], abs=1e-6)


def test_compute_type_the_device_lacks_is_one_line(tiny_marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ctranslate2")
    from aligner.errors import ConfigError
    from aligner.translate import CTranslate2Translator

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(ConfigError, match="not supported on cpu"):
        CTranslate2Translator(str(tiny_marian), device="cpu", compute_type="float16")
