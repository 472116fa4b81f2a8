from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.evaluate import parse_vecalign, read_alignment, score_alignment

GOLD = parse_vecalign("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[2, 3]\n")


def test_perfect_prediction() -> None:
    scores = score_alignment(GOLD, GOLD)
    assert scores.strict_f1 == scores.lax_f1 == 1.0


def test_strict_and_lax_by_hand() -> None:
    predicted = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2, 3))]
    scores = score_alignment(GOLD, predicted)
    # strict: 3 of 5 predicted beads are gold; 3 of 4 gold beads are predicted
    assert scores.strict_precision == pytest.approx(3 / 5) and scores.strict_recall == pytest.approx(3 / 4)
    # lax: (1)-(1) overlaps gold [1,2]:[1]; (2)-() overlaps no gold bead on its empty side
    assert scores.lax_precision == pytest.approx(4 / 5) and scores.lax_recall == pytest.approx(4 / 4)
    assert scores.strict_f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_readers(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"src_idx": [0], "tgt_idx": [0]}\n{"src_idx": [1], "tgt_idx": []}\n', encoding="utf-8")
    assert read_alignment(tmp_path / "a.jsonl") == [((0,), (0,)), ((1,), ())]
    (tmp_path / "bad.txt").write_text("[0]:[0]\n[1 2]-[3]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt:2: not a Vecalign bead"):
        read_alignment(tmp_path / "bad.txt")
    (tmp_path / "bad.jsonl").write_text('{"src": [0]}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not an alignment record"):
        read_alignment(tmp_path / "bad.jsonl")
    with pytest.raises(InputError, match="no such file"):
        read_alignment(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[0]:[0]\n[1]:[1]\n[1]:[2]\n", r"g.txt:3: source sentence 1 is in two beads \(lines 2 and 3\)"),
        ('{"src_idx": [0], "tgt_idx": [0, 1]}\n{"src_idx": [1], "tgt_idx": [1]}\n', r"g.txt:2: target sentence 1 is in two beads"),
        ("[0]:[0]\n[]:[]\n[1]:[1]\n", r"g.txt:2: a bead without sentences"),
        ("[0]:[-1]\n", r"g.txt:1: target sentence -1: sentences are numbered from 0"),
        ('{"src_idx": ["0"], "tgt_idx": [0]}\n', r"g.txt:1: not an alignment record"),
    ],
)
def test_an_alignment_with_a_sentence_in_two_beads_is_refused_not_scored(tmp_path: Path, text: str, message: str) -> None:
    """A gold that put a sentence in two beads was scored (strict F1 0.57 against a one-to-one prediction), silently."""
    (tmp_path / "g.txt").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_alignment(tmp_path / "g.txt")


def test_regressions_name_each_figure_below_its_baseline() -> None:
    from aligner.evaluate import regressions

    measured = {"a": 0.95, "b": 0.935, "c": 0.5}
    assert regressions(measured, {"a": 0.955, "b": 0.95, "d": 0.9}, "F1 of") == ["F1 of b: 0.9350 < baseline 0.9500"]


def test_per_shape_recall_and_unaligned_beads() -> None:
    from aligner.evaluate import shape_counts

    # gold: 1-1, 2-1, 1-0, 1-2; predicted: the 1-1, the 1-0, a wrong 1-1 and a spurious 0-1
    predicted = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((), (2,)), ((4,), (3,))]
    counts = shape_counts(GOLD, predicted)
    assert counts.recall() == {"1-0": 1.0, "1-1": 1.0, "1-2": 0.0, "2-1": 0.0}
    assert counts.gold == {"1-1": 1, "2-1": 1, "1-0": 1, "1-2": 1}
    assert (counts.unaligned_predicted, counts.unaligned_gold, counts.unaligned_found) == (3, 1, 1)
    assert counts.unaligned_precision == pytest.approx(1 / 3) and counts.unaligned_recall == 1.0
    both = counts + shape_counts(GOLD, GOLD)  # counts add up across documents
    assert both.gold["1-1"] == 2 and both.found["1-2"] == 1 and both.unaligned_gold == 2


def test_eval_command_prints_per_shape_recall(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from aligner.cli import app

    (tmp_path / "gold.txt").write_text("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[2, 3, 4, 5]\n", encoding="utf-8")
    (tmp_path / "pred.txt").write_text("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[2, 3, 4]\n[]:[5]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "gold.txt"), str(tmp_path / "pred.txt")])
    assert result.exit_code == 0, result.output
    assert "1-4" in result.output and "unaligned" in result.output
    figures = CliRunner().invoke(app, ["eval", str(tmp_path / "gold.txt"), str(tmp_path / "pred.txt"), "--json"])
    shapes = json.loads(figures.stdout)["shapes"]
    assert shapes["1-4"] == {"gold": 1, "found": 0, "recall": 0.0} and shapes["2-1"]["recall"] == 1.0
    assert json.loads(figures.stdout)["unaligned_precision"] == 0.5


def test_eval_refuses_alignments_of_differently_segmented_documents(tmp_path: Path) -> None:
    """A gold of one sentence a line against a prediction of re-segmented documents scores near
    0 through no fault of the aligner's: the command says so instead of printing the figures."""
    from typer.testing import CliRunner

    from aligner.cli import app

    gold = tmp_path / "gold.txt"
    gold.write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[3]\n", encoding="utf-8")  # target 2 left out of the gold
    resegmented = tmp_path / "pred.txt"
    resegmented.write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n[3, 4]:[3]\n", encoding="utf-8")  # a line cut in two
    result = CliRunner().invoke(app, ["eval", str(gold), str(resegmented)])
    assert result.exit_code == 2
    assert "gold alignment has 4 source sentences, the prediction 5" in result.output and "--presegmented" in result.output
    assert "strict" not in result.output
    partial = CliRunner().invoke(app, ["eval", str(gold), str(resegmented), "--partial-gold", "--json"])
    assert partial.exit_code == 0 and json.loads(partial.stdout)["strict_recall"] == 0.5
    same = tmp_path / "same.txt"  # the same sentences, aligned otherwise; the gold's gap is no mismatch
    same.write_text("[0]:[0, 1]\n[1]:[]\n[2]:[2]\n[3]:[3]\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["eval", str(gold), str(same)]).exit_code == 0
    # a gold that numbers its sentences from 1 is said to be so, not taken for other sentences
    from_one = tmp_path / "from-one.txt"
    from_one.write_text("[1]:[1]\n[2]:[2]\n[3]:[]\n[4]:[4]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(from_one), str(same)])
    assert result.exit_code == 2 and "numbers sentences from 1" in result.output


@pytest.mark.parametrize("script", ["evaluate", "evaluate_checks", "evaluate_pairing", "evaluate_segmentation"])
def test_evaluation_scripts_skip_cleanly_without_the_development_data(tmp_path: Path, script: str) -> None:
    """A user's machine has no ../shared: each script says so and succeeds (a folder without the
    newstest files ended evaluate.py and evaluate_segmentation.py in a traceback)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(root / "scripts" / f"{script}.py"), "--data", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.startswith("skipped:"), done.stdout + done.stderr
