"""Build tiny random models offline: a MarianMT model and tokenizer (about 50k parameters, < 1 s),
and a BERT encoder."""

from __future__ import annotations

import io
import json
from pathlib import Path

TURKISH = [
    "Cumhurbaşkanı bugün Soçi'de Putin ile görüşecek.",
    "Ankara, İdlib'e yönelik bir kara harekâtından endişe ediyor.",
    "Türkiye'de 3,7 milyon Suriyeli yaşıyor.",
    "Hükümet yetkilileri dün basına bilgi verdi.",
    "Rusya, Adana Mutabakatı'nın uygulanmasını istiyor.",
    "Enflasyon %50 arttı ve dolar 1.75 liraya çıktı.",
    "Milli Savunma Bakanı ateşkesin kalıcı olmasını istedi.",
    "Dr. Ahmet Yılmaz 29 Eylül'de açıklama yaptı.",
]
ENGLISH = [
    "The president will meet Putin in Sochi today.",
    "Ankara is concerned about a ground offensive into Idlib.",
    "There are 3.7 million Syrians living in Turkey.",
    "Government officials informed the press yesterday.",
    "Russia wants the Adana Memorandum to be implemented.",
    "Inflation rose 50% and the dollar reached 1.75 lira.",
    "The Minister of Defense wanted the ceasefire to last.",
    "Dr. Ahmet Yılmaz made a statement on September 29.",
]


def _train_spm(lines: list[str], pieces: int = 60) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in lines if line.strip()] * 4),
        model_writer=model,
        vocab_size=pieces,
        hard_vocab_limit=False,
        model_type="unigram",
        unk_id=0,
        eos_id=1,
        bos_id=-1,
        pad_id=-1,
        normalization_rule_name="identity",
        minloglevel=2,
    )
    return model.getvalue()


def build_tiny_marian(
    folder: Path,
    d_model: int = 32,
    layers: int = 2,
    heads: int = 2,
    ffn: int = 64,
    vocab_size: int = 0,
    max_positions: int = 128,
    texts: tuple[list[str], list[str]] | None = None,
    pieces: int = 60,
) -> Path:
    """A random MarianMT model and its tokenizer in ``folder``; the defaults make it tiny, and
    ``d_model=512, layers=6, heads=8, ffn=2048, vocab_size=62389, max_positions=512`` give
    opus-mt-tr-en's shape (for benchmarks: the vocabulary is padded with pieces no text makes;
    ``texts``, source and target lines, and ``pieces`` train tokenizers that cut news sentences
    as a real model's do)."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    trained: list[str] = []
    for name, lines in zip(("source.spm", "target.spm"), texts or (TURKISH, ENGLISH)):
        data = _train_spm(lines, pieces)
        (folder / name).write_bytes(data)
        processor = spm.SentencePieceProcessor(model_proto=data)
        trained += [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in trained:
        vocab.setdefault(piece, len(vocab))
    while len(vocab) < vocab_size - 1:
        vocab[f"▁filler{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang="tr",
        target_lang="en",
    )
    tokenizer.save_pretrained(folder)
    size = len(vocab)
    config = MarianConfig(
        vocab_size=size,
        decoder_vocab_size=size,
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions,
        pad_token_id=size - 1,
        decoder_start_token_id=size - 1,
        eos_token_id=0,
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config).eval()
    model.generation_config.bad_words_ids = [[size - 1]]
    model.save_pretrained(folder)
    return folder


def build_tiny_bert(folder: Path) -> Path:
    """A random one-layer BERT encoder (16 dimensions) whose vocabulary is the words of the test sentences."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    words = sorted({w for line in TURKISH + ENGLISH for w in line.lower().split()})
    folder.mkdir()
    vocab = folder.parent / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n", encoding="utf-8")
    BertTokenizer(str(vocab)).save_pretrained(folder)
    config = BertConfig(vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder)
    return folder
