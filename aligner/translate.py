"""Machine translation with MarianMT (Helsinki-NLP opus-mt), cached on disk; or translations from a file.

Models load by hub id or local folder. Nothing is downloaded when ``HF_HUB_OFFLINE=1`` or
``local_files_only=True``; a model that cannot be had raises
:class:`~aligner.errors.ModelUnavailableError` with one line saying how to get it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from .cache import TranslationCache
from .errors import BackendUnavailableError, ConfigError, InputError, ModelUnavailableError

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


class Translator(Protocol):
    """Translates sentences; ``key`` identifies the model and settings (cache key, provenance)."""

    key: str

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]: ...


# ---------------------------------------------------------------------------------------------
# The model registry (models/registry.toml).


@dataclass(frozen=True)
class ModelInfo:
    id: str
    source: str
    target: str
    architecture: str
    parameters_m: float
    size_mb: int
    licence: str


def _registry_text() -> str:
    """The registry shipped in the wheel, or ``models/registry.toml`` of a source checkout."""
    packaged = resources.files("aligner") / "model_registry.toml"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[1] / "models" / "registry.toml").read_text(encoding="utf-8")


def model_registry() -> list[ModelInfo]:
    return [ModelInfo(**entry) for entry in tomllib.loads(_registry_text())["model"]]


def default_model(source: str, target: str) -> ModelInfo:
    for info in model_registry():
        if (info.source, info.target) == (source, target):
            return info
    raise ConfigError(f"no known MarianMT model for {source}→{target}: name one with --model (hub id or local folder)")


#: Where a direction has no registered model, the one Helsinki-NLP's naming gives it: OPUS-MT
#: publishes about 1,400 directions under this name ("opus-mt-zh-en", "opus-mt-en-is").
OPUS_MT_ID = "Helsinki-NLP/opus-mt-{source}-{target}"


def model_id(source: str, target: str) -> str:
    """The model for a direction: the registry's (``models/registry.toml``), else the OPUS-MT
    name for it (:data:`OPUS_MT_ID`), said once in the log; a direction OPUS-MT lacks then fails
    to load like any model that cannot be had."""
    try:
        return default_model(source, target).id
    except ConfigError:
        guessed = OPUS_MT_ID.format(source=source, target=target)
        log.info("no registered MarianMT model for %s→%s: trying %s (OPUS-MT's name; --model names another)", source, target, guessed)
        return guessed


# ---------------------------------------------------------------------------------------------
# Loading.


DEVICE = re.compile(r"^(cpu|mps|cuda(:\d+)?)$")


def pick_device(device: str | None = None) -> str:
    """``device`` as given (checked by :func:`check_device`), else CUDA when present, else CPU."""
    if device:
        return check_device(device)
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(device: str) -> str:
    """``device`` when torch can use it here; else a ConfigError that says what to give (``--device
    cuda`` on a machine without one failed deep in the first model call, with a traceback)."""
    if not DEVICE.match(device):
        raise ConfigError(f"unknown device {device!r}: use cpu, cuda, cuda:N or mps")
    import torch

    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            why = (
                f"this torch ({torch.__version__}) is built for the CPU only" if torch.version.cuda is None else "torch sees no CUDA device"
            )
            raise ConfigError(f"--device {device}: {why}; use --device cpu")
        count = torch.cuda.device_count()
        if int(device.partition(":")[2] or 0) >= count:
            raise ConfigError(
                f"--device {device}: this machine has {count} CUDA device{'s' if count > 1 else ''} (cuda:0 to cuda:{count - 1})"
            )
    if device == "mps" and not torch.backends.mps.is_available():
        raise ConfigError("--device mps: torch sees no Apple GPU here; use --device cpu")
    return device


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false") or os.environ.get("TRANSFORMERS_OFFLINE", "0") not in (
        "",
        "0",
        "false",
    )


#: How long the one probe of the hub waits before the run goes on as if offline.
HUB_PROBE_SECONDS = 3.0
_hub_reachable: bool | None = None


def hub_reachable() -> bool:
    """Whether the Hugging Face hub (``HF_ENDPOINT``, default huggingface.co) answers a TCP
    connection within ``HUB_PROBE_SECONDS``: probed once a process, so that a machine without
    network does not wait through the hub client's retries for every model."""
    global _hub_reachable
    if _hub_reachable is None:
        import socket
        from urllib.parse import urlparse

        endpoint = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
        port = endpoint.port or (80 if endpoint.scheme == "http" else 443)
        try:
            socket.create_connection((endpoint.hostname or "huggingface.co", port), timeout=HUB_PROBE_SECONDS).close()
            _hub_reachable = True
        except OSError:
            _hub_reachable = False
            log.info("the Hugging Face hub cannot be reached: models come from the local cache only")
    return _hub_reachable


def _cached_snapshot(model: str, revision: str | None) -> bool:
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(model, "config.json", revision=revision)
    return isinstance(found, str)


def _is_hub_id(model: str) -> bool:
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(model)
    except HFValidationError:
        return False
    return "/" in model


#: How a model that cannot be had says which option names another (:func:`named_by`).
MODEL_OPTION = "--model"


def named_by(error: ModelUnavailableError, option: str) -> ModelUnavailableError:
    """``error`` with its remedy naming ``option`` (``--reverse-model``, ``--embedding-model``):
    the model it could not load was named there, not by ``--model``."""
    return ModelUnavailableError(str(error).replace(f"a local folder with {MODEL_OPTION}", f"a local folder with {option}"))


def load_pretrained(
    model: str, tokenizer_class: Any, model_class: Any | None, revision: str | None = None, local_files_only: bool = False
) -> tuple[Any, Any]:
    """Load a tokenizer and model from a local folder or a hub id (downloading unless offline);
    with ``model_class`` None, only the tokenizer (the model is None)."""
    local = Path(model)
    remedy = f"download it where the hub is reachable (huggingface-cli download {model}) and copy the cache, or pass a local folder with {MODEL_OPTION}"
    if local.exists():
        if not (local / "config.json").is_file():
            raise ModelUnavailableError(f"{model}: not a model folder (no config.json)")
        source = str(local)
        local_files_only = True
    else:
        source = model
        if not _is_hub_id(model):
            raise ModelUnavailableError(f"model {model!r}: no such folder, and not a hub id of the form owner/name")
        if not (local_files_only or offline()) and not hub_reachable():
            local_files_only = True
        if (local_files_only or offline()) and not _cached_snapshot(model, revision):
            raise ModelUnavailableError(
                f"model {model} is not in the local Hugging Face cache and cannot be downloaded now (offline): {remedy}"
            )
    _quiet_hub_logging()
    try:
        tokenizer = tokenizer_class.from_pretrained(source, revision=revision, local_files_only=local_files_only)
        network_model = model_class.from_pretrained(source, revision=revision, local_files_only=local_files_only) if model_class else None
    except (OSError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ModelUnavailableError(f"model {model} could not be loaded ({reason}): {remedy}") from None
    return tokenizer, network_model


def _quiet_hub_logging() -> None:
    """Keep the hub's per-retry warnings (set up by the libraries on import) out of the user's
    way unless debugging: a model that cannot be had is reported in one line instead."""
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        for name in ("huggingface_hub", "transformers"):
            logging.getLogger(name).setLevel(logging.ERROR)


def fingerprint(model: str, revision: str | None) -> str:
    """Model identity for the cache key: hub id and revision, or a local folder's config hash."""
    local = Path(model)
    if local.is_dir():
        digest = hashlib.sha256()
        for name in ("config.json", "model.safetensors", "pytorch_model.bin", "vocab.json"):
            file = local / name
            if file.is_file():
                digest.update(name.encode())
                digest.update(hashlib.sha256(file.read_bytes()).digest())
        return f"local:{digest.hexdigest()[:16]}"
    return f"{model}@{revision or 'main'}"


# ---------------------------------------------------------------------------------------------
# Translators.


#: Token budgets of one batch (padded source + target tokens), per device and operation: a CPU
#: keeps its cache warm with small batches (the logits of a batch, tokens × 62k pieces, spill it
#: beyond about sixteen news sentences), a GPU wants large ones, and there forced decoding (one
#: forward pass) affords more than generation (a pass per output token).
BATCH_TOKENS = {("cpu", "generate"): 1024, ("cpu", "score"): 1024, ("cuda", "generate"): 16384, ("cuda", "score"): 65536}
MT_BACKENDS = ("ct2", "transformers")


def default_backend() -> str:
    """CTranslate2 where it is installed (2-9× faster), else transformers."""
    import importlib.util

    return "ct2" if importlib.util.find_spec("ctranslate2") else "transformers"


def batch_tokens(device: str, operation: str, override: int | None = None) -> int:
    return override or BATCH_TOKENS[("cuda" if device.startswith("cuda") else "cpu", operation)]


def token_batches(lengths: list[int], budget: int, most: int) -> list[list[int]]:
    """Indices grouped into batches in length order (ties by index), each at most ``most``
    sentences whose padded size, longest × count, stays within ``budget``: a sentence longer
    than the budget gets a batch of its own, and never drags others to its length."""
    order = sorted(range(len(lengths)), key=lambda k: (lengths[k], k))
    batches: list[list[int]] = []
    for k in order:
        if batches and len(batches[-1]) < most and lengths[k] * (len(batches[-1]) + 1) <= budget:
            batches[-1].append(k)
        else:
            batches.append([k])
    return batches


#: In the cache key: translations made since long sentences are cut (older ones were truncated).
CUT_LONG = ":cut"
#: Where a long sentence may be cut for translation, best first: after a clause mark, at a space.
_CLAUSE_BREAK = re.compile(r"(?<=[,;:\u2013\u2014\u060c\u3001\uff0c\uff1b])\s+|\s[\u2013\u2014-]\s")
_SPACE = re.compile(r"\s+")


def halves(text: str) -> tuple[str, str]:
    """``text`` cut in two near its middle: at the clause break nearest the middle if one lies in
    its middle half, else at the space nearest the middle, else (unspaced scripts) in the middle."""
    middle = len(text) / 2
    for breaks in (_CLAUSE_BREAK, _SPACE):
        cuts = [m for m in breaks.finditer(text) if abs((m.start() + m.end()) / 2 - middle) <= len(text) / 4]
        if cuts:
            cut = min(cuts, key=lambda m: (abs((m.start() + m.end()) / 2 - middle), m.start()))
            return text[: cut.start()].strip(), text[cut.end() :].strip()
    return text[: int(middle)].strip(), text[int(middle) :].strip()


class _CachedTranslator:
    """What every MarianMT backend shares: its settings, the cache of translations, and the
    order of work.

    A sentence longer than half the model's positions is translated in pieces (cut by
    :func:`halves`) joined by a space: the model truncates its input at ``max_positions`` and its
    output at as many tokens, so a long sentence (a list, a legal paragraph, OCR text without
    full stops) came back translated in part, with no sign of it.
    """

    key = ""
    backend = ""
    tokenizer: Any = None
    max_positions = 512

    def __init__(
        self, model: str, device: str | None, batch_size: int, num_beams: int, cache: TranslationCache | None, batch_tokens: int | None
    ) -> None:
        self.model_name = model
        self.device = pick_device(device)
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.num_beams = num_beams
        self.cache = cache

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]:
        unique = sorted(set(sentences))
        known = self.cache.get(self.key, unique) if self.cache else {}
        todo = [s for s in unique if s not in known]
        if progress:
            progress(len(sentences) - len(todo))
        if todo:
            longest = self._longest_input
            lengths = self.tokenizer(todo, truncation=True, max_length=longest + 1).input_ids
            pieces = {s: [s] if len(ids) <= longest else self._input_pieces(s) for s, ids in zip(todo, lengths)}
            flat = sorted({piece for parts in pieces.values() for piece in parts})
            whole = len(flat) == len(todo)  # nothing cut: progress counts sentences as it goes
            translated = self._generate(flat, progress if whole else None)
            if progress and not whole:
                progress(len(todo))
            fresh = {s: " ".join(translated[piece] for piece in parts) for s, parts in pieces.items()}
            known.update(fresh)
            if self.cache:
                self.cache.put(self.key, fresh)
        return [known[s] for s in sentences]

    def _overlong_pairs(self, sources: list[str], targets: list[str], progress: Progress | None) -> tuple[set[int], list[float]]:
        """The pairs one side of which has more pieces than the model reads, and the scores to fill
        with nan for them: forced decoding would score part of a sentence against the whole of the
        other, so they are not scored."""
        limit = {"truncation": True, "max_length": self.max_positions + 1}
        source_ids = self.tokenizer(sources, **limit).input_ids
        target_ids = self.tokenizer(text_target=targets, **limit).input_ids
        overlong = {k for k, (s, t) in enumerate(zip(source_ids, target_ids)) if max(len(s), len(t)) > self.max_positions}
        if overlong:
            log.warning("forced decoding: %d pairs longer than the model's %d pieces are not scored", len(overlong), self.max_positions)
            if progress:
                progress(len(overlong))
        return overlong, [float("nan") if k in overlong else 0.0 for k in range(len(sources))]

    def _scored_batches(self, lengths: list[int], budget: int, overlong: set[int]) -> list[list[int]]:
        batches = [[k for k in batch if k not in overlong] for batch in token_batches(lengths, budget, self.batch_size)]
        return [batch for batch in batches if batch]

    @property
    def _longest_input(self) -> int:
        """The most pieces a sentence is translated in one go: half the model's positions, room
        for an output half again as long."""
        return self.max_positions // 2

    def _input_pieces(self, text: str) -> list[str]:
        longest = self._longest_input
        if len(self.tokenizer(text, truncation=True, max_length=longest + 1).input_ids) <= longest:
            return [text]
        first, second = halves(text)
        if not first or not second:
            return [text]
        return self._input_pieces(first) + self._input_pieces(second)

    def _generate(self, sentences: list[str], progress: Progress | None) -> dict[str, str]:
        raise NotImplementedError


class MarianTranslator(_CachedTranslator):
    """MarianMT through transformers (the reference backend): greedy (or small-beam) translation
    and forced decoding in length-sorted batches sized by a token budget.

    Special token ids are read from the loaded tokenizer and model config, never assumed:
    tc-big models use other ids than the base ones.
    """

    backend = "transformers"

    def __init__(
        self,
        model: str,
        revision: str | None = None,
        device: str | None = None,
        batch_size: int = 64,
        num_beams: int = 1,
        cache: TranslationCache | None = None,
        local_files_only: bool = False,
        batch_tokens: int | None = None,
    ) -> None:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        super().__init__(model, device, batch_size, num_beams, cache, batch_tokens)
        self.tokenizer, self.model = load_pretrained(model, AutoTokenizer, AutoModelForSeq2SeqLM, revision, local_files_only)
        if self.device.startswith("cuda"):
            self.model.half()
        self.model.to(self.device).eval()
        self.max_positions = int(getattr(self.model.config, "max_position_embeddings", 512) or 512)
        self.key = f"marian:{fingerprint(model, revision)}:beams={num_beams}{CUT_LONG}"

    def _generate(self, sentences: list[str], progress: Progress | None) -> dict[str, str]:
        import torch

        lengths = [len(self.tokenizer(s, truncation=True, max_length=self.max_positions).input_ids) for s in sentences]
        budget = batch_tokens(self.device, "generate", self.batch_tokens)
        out: dict[str, str] = {}
        for indices in token_batches([2 * n for n in lengths], budget, self.batch_size):  # source + an output as long
            batch = [sentences[k] for k in indices]
            encoded = self.tokenizer(batch, padding=True, truncation=True, max_length=self.max_positions, return_tensors="pt").to(
                self.device
            )
            longest = max(lengths[k] for k in indices)
            with torch.inference_mode():
                generated = self.model.generate(
                    **encoded,
                    num_beams=self.num_beams,
                    do_sample=False,
                    max_new_tokens=min(int(1.5 * longest) + 10, self.max_positions),
                )
            for source, text in zip(batch, self.tokenizer.batch_decode(generated, skip_special_tokens=True)):
                out[source] = text.strip()
            if progress:
                progress(len(batch))
        return out

    def cross_entropy(self, sources: list[str], targets: list[str], progress: Progress | None = None) -> list[float]:
        """Per-token cross-entropy (nats) of each target given its source, by teacher forcing.

        One forward pass per batch, no generation: labels are the target's pieces (``</s>``
        included, padding masked to -100), the ``<pad>`` logit is masked out of the softmax (as
        CTranslate2 has no such row), and each sentence's log-probability is summed over its own
        tokens only. Batches are length-sorted and sized by a token budget, so padding stays small
        and results do not depend on batch composition.
        """
        import torch

        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        pad_id = self.tokenizer.pad_token_id
        lengths = [len(s) + len(t) for s, t in zip(sources, targets)]  # characters: a cheap, monotone proxy
        budget = batch_tokens(self.device, "score", self.batch_tokens) * 4  # about four characters a piece
        overlong, result = self._overlong_pairs(sources, targets, progress)
        for batch in self._scored_batches(lengths, budget, overlong):
            encoded = self.tokenizer(
                [sources[k] for k in batch],
                text_target=[targets[k] for k in batch],
                padding=True,
                truncation=True,
                max_length=self.max_positions,
                return_tensors="pt",
            ).to(self.device)
            labels = encoded.pop("labels")
            labels = labels.masked_fill(labels == pad_id, -100)
            with torch.inference_mode():
                logits = self.model(**encoded, labels=labels).logits.float()
                logits[..., pad_id] = -torch.inf
                token_log_probs = torch.log_softmax(logits, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
                mask = labels != -100
                totals = (token_log_probs * mask).sum(-1)
                counts = mask.sum(-1).clamp(min=1)
            for k, value in zip(batch, (-totals / counts).tolist()):
                result[k] = float(value)
            if progress:
                progress(len(batch))
        return result


class CTranslate2Translator(_CachedTranslator):
    """MarianMT through CTranslate2: the Hugging Face model converted once with CTranslate2's own
    converter into the on-disk cache (keyed by the model's fingerprint and the quantization),
    int8 on CPU and float16 on CUDA unless ``compute_type`` says otherwise. Translation with
    ``translate_batch``, forced decoding with ``score_batch``; the pieces come from the model's
    own tokenizer, so results agree with :class:`MarianTranslator` (same greedy output in
    float32; cross-entropy within a few hundredths of a nat in int8)."""

    backend = "ct2"

    def __init__(
        self,
        model: str,
        revision: str | None = None,
        device: str | None = None,
        batch_size: int = 64,
        num_beams: int = 1,
        cache: TranslationCache | None = None,
        local_files_only: bool = False,
        batch_tokens: int | None = None,
        compute_type: str | None = None,
    ) -> None:
        import ctranslate2
        from transformers import AutoTokenizer

        super().__init__(model, device, batch_size, num_beams, cache, batch_tokens)
        self.tokenizer, _ = load_pretrained(model, AutoTokenizer, None, revision, local_files_only)
        ct2_device = "cuda" if self.device.startswith("cuda") else "cpu"
        self.compute_type = compute_type or ("float16" if ct2_device == "cuda" else "int8")
        unusable = f"CTranslate2 {ctranslate2.__version__} cannot run on {self.device} here"
        try:
            supported = ctranslate2.get_supported_compute_types(ct2_device)
        except RuntimeError as error:
            raise BackendUnavailableError(f"{unusable} ({error}): use --mt-backend transformers") from error
        if self.compute_type not in supported:
            message = f"--compute-type {self.compute_type} is not supported on {ct2_device}: choose from {', '.join(sorted(supported))}"
            raise ConfigError(message) if compute_type else BackendUnavailableError(f"{unusable}: {message}")
        identity = fingerprint(model, revision)
        folder = converted_model(model, revision, identity, self.compute_type)
        index = int(self.device.split(":")[1]) if ":" in self.device else 0
        self.translator = ctranslate2.Translator(str(folder), device=ct2_device, device_index=index, compute_type=self.compute_type)
        if ct2_device == "cuda":
            # CTranslate2 loads cuBLAS at its first product, not with the model: a build for another
            # CUDA (4.x wants CUDA 12's libcublas.so.12; torch's cu130 wheels bring CUDA 13's) failed
            # at the first sentence, with a traceback
            try:
                self.translator.score_batch([[self.tokenizer.eos_token]], [[self.tokenizer.eos_token]])
            except RuntimeError as error:
                raise BackendUnavailableError(
                    f"{unusable} ({error}): install the CUDA libraries it was built for, or use --mt-backend transformers"
                ) from error
        self.max_positions = _max_positions(model if Path(model).exists() else _snapshot(model, revision))
        self.key = f"ct2-{self.compute_type}:{identity}:beams={num_beams}{CUT_LONG}"

    def _pieces(self, text: str, target: bool = False) -> list[str]:
        """The model's pieces of ``text``, truncated as the reference backend truncates (``</s>`` last)."""
        limit = {"truncation": True, "max_length": self.max_positions}
        encoded = self.tokenizer(text_target=text, **limit) if target else self.tokenizer(text, **limit)
        return list(self.tokenizer.convert_ids_to_tokens(encoded.input_ids))

    def _generate(self, sentences: list[str], progress: Progress | None) -> dict[str, str]:
        pieces = [self._pieces(s) for s in sentences]
        budget = batch_tokens(self.device, "generate", self.batch_tokens)
        out: dict[str, str] = {}
        for indices in token_batches([2 * len(p) for p in pieces], budget, self.batch_size):
            longest = max(len(pieces[k]) for k in indices)
            results = self.translator.translate_batch(
                [pieces[k] for k in indices],
                beam_size=self.num_beams,
                # transformers spends the last of its max_new_tokens on a forced </s> (opus-mt's
                # forced_eos_token_id): one token less here gives the same output when it runs on
                max_decoding_length=min(int(1.5 * longest) + 10, self.max_positions) - 1,
            )
            for k, result in zip(indices, results):
                ids = self.tokenizer.convert_tokens_to_ids(result.hypotheses[0])
                out[sentences[k]] = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
            if progress:
                progress(len(indices))
        return out

    def cross_entropy(self, sources: list[str], targets: list[str], progress: Progress | None = None) -> list[float]:
        """Per-token cross-entropy (nats) of each target given its source (``</s>`` included)."""
        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        source_pieces = [self._pieces(s) for s in sources]
        eos = self.tokenizer.eos_token
        # CTranslate2 appends the end token itself and scores it
        target_pieces = [[p for p in self._pieces(t, target=True) if p != eos] for t in targets]
        lengths = [len(s) + len(t) for s, t in zip(source_pieces, target_pieces)]
        overlong, result = self._overlong_pairs(sources, targets, progress)
        for batch in self._scored_batches(lengths, batch_tokens(self.device, "score", self.batch_tokens), overlong):
            scored = self.translator.score_batch([source_pieces[k] for k in batch], [target_pieces[k] for k in batch])
            for k, item in zip(batch, scored):
                result[k] = -float(sum(item.log_probs)) / max(len(item.log_probs), 1)
            if progress:
                progress(len(batch))
        return result


def converted_model(model: str, revision: str | None, identity: str, quantization: str) -> Path:
    """The CTranslate2 conversion of ``model`` under the cache (made once, atomically)."""
    import shutil
    import tempfile

    from .cache import cache_dir

    folder = cache_dir() / "ct2" / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', identity)}-{quantization}"
    if (folder / "model.bin").is_file():
        return folder
    import ctranslate2

    source = model if Path(model).exists() else _snapshot(model, revision)
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        log.info("converting %s for CTranslate2 (%s), once", model, quantization)
        ctranslate2.converters.TransformersConverter(source).convert(str(scratch / "model"), quantization=quantization, force=True)
        try:
            os.replace(scratch / "model", folder)
        except OSError:
            if not (folder / "model.bin").is_file():  # another process converted it first: use theirs
                raise
    except (ValueError, RuntimeError, OSError) as error:
        raise ModelUnavailableError(
            f"model {model} could not be converted for CTranslate2 ({str(error).splitlines()[0]}): use --mt-backend transformers"
        ) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def _max_positions(folder: str) -> int:
    """The longest input the model's position embeddings cover (its config.json)."""
    try:
        config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 512
    return int(config.get("max_position_embeddings") or 512)


def _snapshot(model: str, revision: str | None) -> str:
    from huggingface_hub import snapshot_download

    return str(snapshot_download(model, revision=revision, local_files_only=True))


class FileTranslations:
    """Precomputed translations: line ``k`` of the file translates sentence ``k``."""

    def __init__(self, path: str | Path, encoding: str | None = None, side: str = "source") -> None:
        from .read import read_lines

        self.path = str(path)
        self.side = side
        self.lines = read_lines(path, encoding=encoding, keep_blank=True).paragraphs
        self.key = f"file:{hashlib.sha256(json.dumps(self.lines).encode()).hexdigest()[:16]}"

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]:
        lines = self.lines
        if len(lines) != len(sentences) and sum(map(bool, lines)) == len(sentences):
            # the translation of a one-sentence-per-line file whose blank lines (between its
            # paragraphs) it kept, line for line: the document's reader dropped them
            lines = [line for line in lines if line]
        if len(lines) != len(sentences):
            raise InputError(
                f"{self.path}: has {len(self.lines)} lines but the {self.side} has {len(sentences)} sentences "
                f"(one translation per {self.side} sentence is needed; segment with --presegmented to control the count)"
            )
        if progress:
            progress(len(sentences))
        return list(lines)
