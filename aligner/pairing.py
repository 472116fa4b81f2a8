"""Pair documents: find each source document's translation among many target documents.

A crawl of a news site gives thousands of articles on each side, under unrelated names, many
without a counterpart and some about the same event on the same day. Pairing runs in three steps:

1. **Document vectors**: each document's sentences are embedded (the encoder of the embedding
   signal), centred on the encoder's mean vector and summed, so a document points where most of
   its sentences point.
2. **Candidates**: each document's nearest documents on the other side by the cosine of these
   vectors (exact search, block by block: memory stays linear, and the product is a small part of
   the time at 10,000 × 10,000).
3. **Rescoring** each candidate pair with evidence a translation has and a related article does
   not: the sentences that find a translation in the other (their best match beats every
   sentence of the competing candidates by a clear margin) over the geometric mean of the two
   documents' sizes, anchors both
   share (numbers, names, URLs), the length ratio, and explicit links (one document naming the
   other's file id). Pairs are then taken best first, each document at most once (competitive
   linking), down to ``min_score``.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .embed import centred_unit_vectors
from .errors import InputError, OutputError
from .markup import PageLinks
from .read import check_regular_file, document_ids, folder_documents, folder_name

if TYPE_CHECKING:
    from .score import Encoder

log = logging.getLogger(__name__)

#: Candidates per document and direction (the union of both directions is rescored).
CANDIDATES = 8
#: The pair score below which a document stays unpaired: a share of matched sentences.
DEFAULT_MIN_SCORE = 0.15
#: Two sentences count as a translation above the mean cosine of unrelated sentences plus this
#: many spreads (see :func:`unrelated_statistics`).
MATCH_SPREADS = 2.0
#: ... and count fully from this many spreads further up.
MATCH_FULL_SPREADS = 2.0
#: Added to the score of a pair where one document names the other's file id.
LINK_BONUS = 0.5
#: Unrelated-sentence cosines needed to measure them on the collection, and the figures used
#: below that (multilingual-e5's, centred) when the encoder's are not known either.
MIN_UNRELATED = 200
DEFAULT_UNRELATED = (0.12, 0.11)
#: Rows of the document-similarity product held at once.
BLOCK_ROWS = 1024
#: An id in a file name that another document can cite: five digits or more (not a year).
_FILE_ID = re.compile(r"(?<!\d)\d{5,}(?!\d)")

Progress = Callable[[int], None]


@dataclass
class PairingDocument:
    """A document to pair: its id (unique on its side), file, sentences and full text."""

    doc_id: str
    path: Path
    sentences: list[str]
    links: PageLinks = PageLinks()  # a web page's own and cited addresses

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)


@dataclass(frozen=True)
class DocumentMatch:
    """A pair found: both documents, the score, and the evidence behind it."""

    src: PairingDocument
    tgt: PairingDocument
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class PairingResult:
    pairs: list[DocumentMatch]
    unpaired_src: list[PairingDocument]
    unpaired_tgt: list[PairingDocument]


def read_collection(
    folder: Path,
    load: Callable[[Path], tuple[list[str], PageLinks]],
    on_error: str = "fail",
    skipped: list[str] | None = None,
    progress: Callable[[int], Progress] | None = None,
    recursive: bool = False,
) -> list[PairingDocument]:
    """Every document of ``folder`` (:func:`~aligner.read.folder_documents`; with ``recursive``
    of its subfolders too), in name order, as a document to pair.

    ``load`` reads one file into sentences and, for a web page, its links. Its id is the file
    name without the extension (the whole name where two files share a stem; below a subfolder,
    with its folders: "2019/123"). A file that cannot be read raises, or with
    ``on_error="skip"`` is added to ``skipped`` (logged without one) and left out. ``progress``
    is called with the number of files and gives what is told of each one read."""
    files = folder_documents(folder, recursive)
    advance = progress(len(files)) if progress else None
    names = [folder_name(path, folder) for path in files]
    ids = document_ids(names)
    documents = []
    for path, name in zip(files, names):
        try:
            check_regular_file(path)
            sentences, links = load(path)
        except InputError as error:
            if on_error == "fail":
                raise
            if skipped is not None:  # the caller reports them
                skipped.append(str(error))
            else:
                log.warning("skipped %s", str(error))
            continue
        finally:
            if advance:
                advance(1)
        documents.append(PairingDocument(ids[name], path, sentences, links))
    return documents


def sentence_vectors(
    documents: Sequence[PairingDocument], encoder: Encoder, centre: np.ndarray | None, progress: Progress | None = None
) -> list[np.ndarray]:
    """Centred, unit-length vectors of every document's sentences (one matrix per document)."""
    texts = [sentence for document in documents for sentence in document.sentences]
    vectors = encoder.encode(texts, progress) if texts else np.zeros((0, 1), dtype=np.float32)
    vectors = centred_unit_vectors(vectors, centre)
    bounds = np.cumsum([0] + [len(document.sentences) for document in documents])
    return [vectors[bounds[k] : bounds[k + 1]].astype(np.float32) for k in range(len(documents))]


def document_vectors(per_document: Sequence[np.ndarray], dimension: int, centred: bool) -> np.ndarray:
    """One unit vector per document: the normalised mean of its sentence vectors, less (with
    ``centred``) the mean document of its side. Summed over a document, what every sentence of a
    language shares adds up while the topics of its sentences partly cancel: left in, it would
    make every document of one side look alike to every document of the other."""
    matrix = np.zeros((len(per_document), dimension), dtype=np.float32)
    for k, vectors in enumerate(per_document):
        if len(vectors):
            matrix[k] = vectors.mean(axis=0)
    if centred and len(matrix):
        matrix -= matrix.mean(axis=0)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def nearest(queries: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` nearest keys of every query by inner product, best first."""
    k = min(k, len(keys))
    found = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), BLOCK_ROWS):
        similarities = queries[start : start + BLOCK_ROWS] @ keys.T
        top = (
            np.argpartition(-similarities, k - 1, axis=1)[:, :k] if k < len(keys) else np.tile(np.arange(len(keys)), (len(similarities), 1))
        )
        order = np.argsort(-np.take_along_axis(similarities, top, axis=1), axis=1, kind="stable")
        found[start : start + BLOCK_ROWS] = np.take_along_axis(top, order, axis=1)
    return found


def unrelated_statistics(matrices: Sequence[np.ndarray]) -> tuple[float, float] | None:
    """Typical cosine of sentences that are not translations of each other (centre, spread),
    for encoders whose figures are not known: measured on each source document and its nearest
    candidate, leaving out each row's and each column's best match (the would-be translations).
    What remains are sentences of related documents that do not translate each other, the very
    competition a match must beat. Median and 95th percentile, as the tail is not normal."""
    values = []
    for matrix in matrices:
        if matrix.shape[0] < 2 or matrix.shape[1] < 2:
            continue
        keep = np.ones(matrix.shape, dtype=bool)
        keep[np.arange(matrix.shape[0]), matrix.argmax(axis=1)] = False
        keep[matrix.argmax(axis=0), np.arange(matrix.shape[1])] = False
        values.append(matrix[keep])
    pooled = np.concatenate(values) if values else np.zeros(0)
    if len(pooled) < MIN_UNRELATED:
        return None
    centre, high = np.percentile(pooled, [50, 95])
    return float(centre), float(max((high - centre) / 1.645, 0.02))


def monotone_evidence(similarities: np.ndarray, threshold: float, full: float) -> float:
    """How many sentences one in-order alignment of the two documents can match, each match
    counted by how clearly it is a translation: 0 at ``threshold``, 1 from ``threshold + full``.

    A translation keeps its sentences in order; an article on the same subject matches a few of
    them, anywhere, and weakly. The alignment maximises the summed weights (dynamic programming,
    one row at a time, each row a running maximum)."""
    rows, columns = similarities.shape
    if not rows or not columns:
        return 0.0
    weight = np.clip((similarities - threshold) / full, 0.0, 1.0)
    total = np.zeros(columns + 1)
    for row in range(rows):
        matched = np.concatenate([[0.0], np.maximum(total[1:], total[:-1] + weight[row])])
        total = np.maximum.accumulate(matched)
    return float(total[-1])


def neighbours(src_vectors: np.ndarray, tgt_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each document's ``k`` nearest documents on the other side, best first, both ways."""
    if not len(src_vectors) or not len(tgt_vectors):
        return np.zeros((len(src_vectors), 0), dtype=np.int64), np.zeros((len(tgt_vectors), 0), dtype=np.int64)
    return nearest(src_vectors, tgt_vectors, k), nearest(tgt_vectors, src_vectors, k)


@dataclass(frozen=True)
class _Facts:
    """What rescoring compares of a document, read once however many candidates it has."""

    anchors: frozenset[str]
    own_ids: frozenset[str]  # ids in its file name or own address another page could cite (251032 of 251032.html)
    cited_ids: frozenset[str]  # ids its text or links name (a "read this article in Turkish" link)
    characters: int


def _facts(document: PairingDocument, language: str) -> _Facts:
    from .anchors import extract_anchors

    return _Facts(
        frozenset().union(*(extract_anchors(sentence, language) for sentence in document.sentences)),
        frozenset(_FILE_ID.findall(" ".join((document.path.stem, *document.links.own)))),
        frozenset(_FILE_ID.findall(" ".join((document.text, *document.links.cited)))),
        sum(map(len, document.sentences)),
    )


def pair_documents(
    src: Sequence[PairingDocument],
    tgt: Sequence[PairingDocument],
    encoder: Encoder,
    src_lang: str,
    tgt_lang: str,
    min_score: float = DEFAULT_MIN_SCORE,
    candidates: int = CANDIDATES,
    progress: Progress | None = None,
) -> PairingResult:
    """Pair each source document with at most one target document, and the reverse."""
    statistics = getattr(encoder, "statistics", None)
    centre = statistics.centre if statistics else None
    src_sentences = sentence_vectors(src, encoder, centre, progress)
    tgt_sentences = sentence_vectors(tgt, encoder, centre, progress)
    dimension = next((v.shape[1] for v in (*src_sentences, *tgt_sentences) if len(v)), 1)
    src_neighbours, tgt_neighbours = neighbours(
        # a side of no more documents than candidates has each of them rescored anyway
        document_vectors(src_sentences, dimension, centred=len(src) > candidates),
        document_vectors(tgt_sentences, dimension, centred=len(tgt) > candidates),
        candidates,
    )
    pairs = sorted(
        {(s, int(t)) for s, row in enumerate(src_neighbours) for t in row}
        | {(int(s), t) for t, row in enumerate(tgt_neighbours) for s in row}
    )
    mean, spread = (statistics.unrelated if statistics and statistics.unrelated else None) or (
        # the nearest candidate of each source document: its translation, or its closest relative
        unrelated_statistics([src_sentences[s] @ tgt_sentences[row[0]].T for s, row in enumerate(src_neighbours) if len(row)])
        or DEFAULT_UNRELATED
    )
    threshold = mean + MATCH_SPREADS * spread
    src_facts = [_facts(document, src_lang) for document in src]
    tgt_facts = [_facts(document, tgt_lang) for document in tgt]
    scored = []
    for s, t in pairs:
        matched = monotone_evidence(src_sentences[s] @ tgt_sentences[t].T, threshold, MATCH_FULL_SPREADS * spread)
        sizes = len(src[s].sentences) * len(tgt[t].sentences)
        # over the geometric mean of the two sizes: a version that keeps a fifth of its original
        # matches all of itself and a fifth of the other, 0.33 of both sentences together
        # (often under min_score) and 0.45 of their geometric mean
        share = matched / math.sqrt(sizes) if sizes else 0.0
        one, other = src_facts[s], tgt_facts[t]
        shared = one.anchors & other.anchors
        union = one.anchors | other.anchors
        linked = bool(one.own_ids & other.cited_ids or other.own_ids & one.cited_ids)
        score = share + (LINK_BONUS if linked else 0.0)
        lengths = sorted((one.characters, other.characters))
        evidence = {
            "matched_sentences": round(matched, 2),
            "shared_anchors": len(shared),
            "anchor_overlap": round(len(shared) / len(union), 4) if union else 0.0,
            "length_ratio": round(lengths[0] / lengths[1] if lengths[1] else 0.0, 4),
            "linked": linked,
        }
        scored.append((round(score, 6), s, t, evidence))
    scored.sort(key=lambda item: (-item[0], src[item[1]].doc_id, tgt[item[2]].doc_id))
    taken_src: set[int] = set()
    taken_tgt: set[int] = set()
    found = []
    for score, s, t, evidence in scored:
        if score < min_score or s in taken_src or t in taken_tgt:
            continue
        taken_src.add(s)
        taken_tgt.add(t)
        found.append(DocumentMatch(src[s], tgt[t], score, evidence))
    found.sort(key=lambda match: match.src.doc_id)
    return PairingResult(
        found,
        [document for k, document in enumerate(src) if k not in taken_src],
        [document for k, document in enumerate(tgt) if k not in taken_tgt],
    )


#: The evidence columns of a pairing manifest, after ``doc_id, src, tgt, pair_score``.
EVIDENCE = ("matched_sentences", "shared_anchors", "anchor_overlap", "length_ratio", "linked")


def match_metadata(match: DocumentMatch) -> dict[str, Any]:
    """The pair score and evidence, as a manifest row and the corpus's ``meta`` column hold them."""
    return {
        "pair_score": match.score,
        **{key: json.dumps(value) if isinstance(value, bool) else value for key, value in match.evidence.items()},
    }


def pairing_figures(result: PairingResult) -> dict[str, int]:
    """What pairing did, for a summary or a dataset card."""
    return {
        "documents paired": len(result.pairs),
        "source documents unpaired": len(result.unpaired_src),
        "target documents unpaired": len(result.unpaired_tgt),
    }


def unpaired_list_paths(manifest: Path) -> tuple[Path, Path]:
    """Where :func:`write_manifest` lists the documents left without a partner, per side."""
    return manifest.with_name(f"{manifest.stem}.unpaired-src.txt"), manifest.with_name(f"{manifest.stem}.unpaired-tgt.txt")


def check_manifest_path(path: Path, folders: tuple[Path, ...] = ()) -> None:
    """Refuse a manifest path that cannot be written as one (before any document is read), or
    that lies in one of the document ``folders``: the manifest and the unpaired lists were read
    as documents by the next run."""
    if str(path) == "-":  # a file named "-" was written; its paths are relative to its folder
        raise OutputError("-o -: the manifest (its paths relative to its folder, the unpaired lists beside it) needs a file name")
    if any(path.parent.resolve() == folder.resolve() for folder in folders):
        raise OutputError(f"{path}: is in a folder of documents, where the next run would read it as one: write it elsewhere")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the manifest's file name (e.g. pairs.tsv)")


def write_manifest(result: PairingResult, path: Path) -> list[Path]:
    """Write the pairs as a manifest ``aligner build --manifest`` reads as it is (TSV, or JSONL
    when ``path`` ends in ``.jsonl``; paths relative to its folder), and beside it the unpaired
    documents of each side, one path a line. Each file is written whole or not at all."""
    from .write import atomic_file

    check_manifest_path(path)
    base = path.parent.resolve() if path.parent.exists() else path.parent.absolute()

    def relative(file: Path) -> str:
        return os.path.relpath(file.resolve(), base)

    jsonl = path.suffix == ".jsonl"
    rows = [
        {
            "doc_id": match.src.doc_id,
            "src": relative(match.src.path),
            "tgt": relative(match.tgt.path),
            # JSON keeps true/false; a TSV cell writes them as JSON does, not as Python does
            **({"pair_score": match.score, **match.evidence} if jsonl else match_metadata(match)),
        }
        for match in result.pairs
    ]
    unpaired_src, unpaired_tgt = unpaired_list_paths(path)
    try:
        with atomic_file(path) as stream:
            if jsonl:
                stream.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            else:
                writer = csv.DictWriter(
                    stream, fieldnames=["doc_id", "src", "tgt", "pair_score", *EVIDENCE], delimiter="\t", lineterminator="\n"
                )
                writer.writeheader()
                writer.writerows(rows)
        for listing, documents in ((unpaired_src, result.unpaired_src), (unpaired_tgt, result.unpaired_tgt)):
            with atomic_file(listing) as stream:
                stream.writelines(relative(document.path) + "\n" for document in documents)
    except OSError as error:
        raise OutputError(f"{error.filename or path}: cannot write ({error.strerror})") from None
    return [path, unpaired_src, unpaired_tgt]
