#!/usr/bin/env bash
# Create .venv and install aligner with its test tools. torch is installed first and pinned to the
# CPU wheel (an unpinned torch pulls a multi-GB CUDA build); on a CUDA machine install the CUDA
# build of the same version instead.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e ".[dev]"
