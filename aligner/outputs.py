"""Reading an aligner output back: where its records are (its alignments.jsonl, its dataset
folder), each record checked field by field, its languages in the order of its run, and what
``aligner report`` shows of it or of a built corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .languages import check_language
from .read import read_lines
from .report import Report, corpus_report, output_report, read_json_object


def output_files(path: Path) -> tuple[Path | None, Path | None]:
    """Where an aligner output keeps its records: its alignments.jsonl and/or its dataset folder
    (both are rewritten by :func:`.recheck.recheck`)."""
    if path.is_file():
        return path, None
    if (path / "alignments.jsonl").is_file():
        dataset = path / "dataset" if (path / "dataset" / "dataset_info.json").is_file() else None
        return path / "alignments.jsonl", dataset
    if (path / "dataset_info.json").is_file():
        return None, path
    raise InputError(f"{path}: not an aligner output (no alignments.jsonl and no dataset here)")


def alignment_record(value: Any, src_lang: str, tgt_lang: str, keep_checks: bool = False) -> dict[str, Any]:
    """A record read back from an output, checked field by field (ValueError says what is
    wrong); ``scores`` defaults to empty and earlier check results are dropped (kept with
    ``keep_checks``)."""
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    missing = [key for key in ("src_idx", "tgt_idx", "bead", "translation") if key not in value]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    for key in ("src_idx", "tgt_idx"):
        if not isinstance(value[key], list) or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in value[key]):
            raise ValueError(f"{key} is not a list of sentence numbers")
    translation = value["translation"]
    if (
        not isinstance(translation, dict)
        or set(translation) != {src_lang, tgt_lang}
        or not all(isinstance(t, str) for t in translation.values())
    ):
        raise ValueError(f"translation must hold a {src_lang} and a {tgt_lang} text, and nothing else")
    scores = value.get("scores") or {}
    if not isinstance(scores, dict):
        raise ValueError("scores is not an object")
    kept = {k: v for k, v in value.items() if keep_checks or k not in ("score", "flags", "checks")}
    return {**kept, "bead": str(value["bead"]), "scores": scores}


def read_output_records(
    jsonl: Path | None, dataset: Path | None, src_lang: str, tgt_lang: str, keep_checks: bool = False
) -> list[dict[str, Any]]:
    """Every record of the output, each checked before anything is rewritten (see
    :func:`alignment_record` for ``keep_checks``)."""
    if jsonl is not None:
        records = []
        for number, line in enumerate(read_lines(jsonl, encoding="utf-8", keep_blank=True).paragraphs, start=1):
            if not line.strip():
                continue
            try:
                records.append(alignment_record(json.loads(line), src_lang, tgt_lang, keep_checks))
            except ValueError as error:
                raise InputError(f"{jsonl}:{number}: not an alignment record ({error})") from None
        return records
    from datasets import load_from_disk

    rows = []
    for number, row in enumerate(load_from_disk(str(dataset)), start=1):
        try:
            scores = row.get("scores") or {}
            if isinstance(scores, str):  # outputs written before scores became a struct
                scores = json.loads(scores)
            present = {name: value for name, value in scores.items() if value is not None}
            rows.append(alignment_record(dict(row, scores=present), src_lang, tgt_lang, keep_checks))
        except ValueError as error:
            raise InputError(f"{dataset}: row {number}: not an alignment record ({error})") from None
    return rows


def corpus_languages(jsonl: Path | None, dataset: Path | None, remedy: str = "name them with --src-lang and --tgt-lang") -> tuple[str, str]:
    """Source and target language of an aligner output, in the order of the run that wrote it:
    from its run.json, else from the dataset's ``Translation`` feature. (A record's
    ``translation`` keys are written sorted, so they cannot tell which side is the source.)"""
    for folder in (jsonl.parent if jsonl else None, dataset.parent if dataset else None):
        if folder is not None and (folder / "run.json").is_file():
            try:
                run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
                return check_language(run["src_lang"]), check_language(run["tgt_lang"])
            except (ValueError, KeyError, TypeError, ConfigError):
                raise InputError(f"{folder / 'run.json'}: not an aligner run record (no src_lang and tgt_lang)") from None
    if dataset is not None:
        from datasets import load_from_disk

        feature = load_from_disk(str(dataset)).features.get("translation")
        languages = getattr(feature, "languages", None)
        if languages and len(languages) == 2:
            return languages[0], languages[1]
    raise InputError(f"{jsonl or dataset}: cannot tell the source language from the target (no run.json beside it): {remedy}")


def load_report(path: Path) -> Report:
    """What :mod:`aligner.report` shows of an ``aligner align`` output (folder, its
    alignments.jsonl or dataset) or of an ``aligner build`` corpus folder."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if (path / "state.sqlite").is_file():
        return _corpus_report(path)
    from .corpus import is_plain_corpus

    if path.suffix != ".jsonl" and is_plain_corpus([path]):  # a TSV, a dataset of translations: no beads, no run to show
        raise InputError(
            f"{path}: not an aligner output or built corpus, which a report shows (a parallel corpus is checked with `aligner check`)"
        )
    jsonl, dataset = output_files(path)
    src_lang, tgt_lang = corpus_languages(jsonl, dataset, "report on the output folder, whose run.json says them")
    records = read_output_records(jsonl, dataset, src_lang, tgt_lang, keep_checks=True)
    if not records:
        raise InputError(f"{path}: holds no aligned beads")
    folder = (jsonl or dataset).parent  # type: ignore[union-attr]
    run = {**read_json_object(folder / "run.json"), "src_lang": src_lang, "tgt_lang": tgt_lang}
    return output_report(folder.resolve().name, records, run)


def _corpus_report(folder: Path) -> Report:
    from .build import BuildState

    state = BuildState(folder / "state.sqlite")
    try:
        layout_text = state.setting("layout")
        if layout_text is None:
            raise InputError(f"{folder}: the corpus has not been written yet (no layout in its state)")
        report = corpus_report(folder.name, json.loads(layout_text), state)
    finally:
        state.close()
    if not any(document.records for document in report.documents):
        raise InputError(f"{folder}: the corpus holds no aligned document")
    return report
