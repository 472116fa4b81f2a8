"""Engines that run the build's stages over the documents still to do.

Both engines run the same four steps of :mod:`aligner.pipeline` and hand each document's outcome
to ``commit`` in manifest order:

1. ``prepare_document`` (read, segment, read translation files): no model, runs in parallel;
2. :meth:`ModelStage.translate_and_encode` on a chunk of documents: MarianMT and the sentence
   encoder each see every sentence of the chunk in one call, so batches span documents;
3. ``align_document`` (score, align, and the checks that need no model): runs in parallel on the
   translations and vectors of step 2;
4. :meth:`ModelStage.check`: the checks that need a model (forced decoding …), per document.

``local`` runs steps 1 and 3 in worker processes (``--workers``) while this process holds the
models; ``ray`` runs them as Ray Data tasks and the model steps as Ray actors, on an existing
cluster or a local instance. Per-document results do not depend on how documents are chunked
or where they run, so every engine writes the same corpus.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from multiprocessing import get_context
from typing import Any

from . import errors
from .build import BuildOptions, DocumentOutcome, DocumentPair
from .errors import AlignerError, ConfigError
from .pipeline import (
    UNRELATED_DOCUMENTS,
    AlignConfig,
    AlignedPair,
    PreparedPair,
    ProgressFactory,
    align_pair,
    check_pair,
    encode_pairs,
    measure_model_free_checks,
    pair_provenance,
    prepare_pair,
    shared_models,
    translate_pairs,
)

log = logging.getLogger(__name__)


Commit = Callable[[DocumentOutcome], None]


def prepare_document(pair: DocumentPair, config: AlignConfig) -> PreparedPair | str:
    """Step 1 for one document; a document that cannot be used gives its error message."""
    try:
        return prepare_pair(
            pair.src,
            pair.tgt,
            config,
            src_translation=str(pair.src_translation) if pair.src_translation else None,
            tgt_translation=str(pair.tgt_translation) if pair.tgt_translation else None,
        )
    except AlignerError as error:
        return str(error)


def align_document(prepared: PreparedPair | str, config: AlignConfig) -> AlignedPair | str:
    """Step 3 for one document, with the checks that need no model (an earlier error passes through)."""
    if isinstance(prepared, str):
        return prepared
    try:
        aligned = align_pair(prepared, config)
        measure_model_free_checks(aligned, prepared, config)
        return aligned
    except AlignerError as error:
        return str(error)


class ModelStage:
    """Steps 2 and 4: everything that needs a model, with the models loaded once."""

    def __init__(self, config: AlignConfig, progress: ProgressFactory | None = None) -> None:
        self.config = config
        self.models = shared_models(config)
        self.progress = progress  # shows the model calls inside a chunk of documents

    def translate_and_encode(self, prepared: Sequence[PreparedPair | str]) -> None:
        pairs = [p for p in prepared if isinstance(p, PreparedPair)]
        translate_pairs(pairs, self.config, self.models, self.progress)
        encode_pairs(pairs, self.config, self.models, self.progress)

    def check(
        self, doc_ids: Sequence[str], prepared: Sequence[PreparedPair | str], aligned: Sequence[AlignedPair | str]
    ) -> list[DocumentOutcome]:
        """Check each aligned document; the encoder then forgets the chunk's vectors."""
        outcomes = []
        for doc_id, pair, result in zip(doc_ids, prepared, aligned):
            if isinstance(result, str) or isinstance(pair, str):  # an error (align_document passes the pair's on)
                outcomes.append(DocumentOutcome(doc_id, None, str(result)))
                continue
            if result.unrelated:
                log.warning("%s: %s", doc_id, UNRELATED_DOCUMENTS)
            report = check_pair(result, pair, self.config, self.models)
            provenance = pair_provenance(pair, result, report, self.config)
            outcomes.append(DocumentOutcome(doc_id, result.records, None, pair.sentences, provenance))
        self.models.forget_vectors()
        return outcomes


# ---------------------------------------------------------------------------------------------
# Local: this process holds the models, worker processes read, segment and align.


@contextmanager
def _worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """``workers`` worker processes (none for 1 worker: this process does it all). Spawned, not
    forked: this process may hold torch's threads."""
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_exit_with, initargs=(os.getpid(),)) as pool:
        _start_ignoring_ctrl_c(pool, workers)
        yield pool


def _start_ignoring_ctrl_c(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start every worker now, with Ctrl-C ignored from their first instruction (an ignored signal
    stays ignored across exec, and Python then installs no handler): a worker still starting up
    when Ctrl-C comes would otherwise print a KeyboardInterrupt traceback of its imports."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for started in [pool.submit(os.getpid) for _ in range(workers)]:  # each submit starts a worker while none is idle
            started.result()
    finally:
        signal.signal(signal.SIGINT, previous)


def _exit_with(parent: int) -> None:
    """Make a worker end when ``parent`` does, even by SIGKILL (a worker would otherwise wait
    on its task queue for ever). Ctrl-C is the parent's to handle: a worker ignores it, so that
    an interrupted build says so once instead of once per process."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def run_local(pending: list[DocumentPair], config: AlignConfig, options: BuildOptions, commit: Commit) -> None:
    stage = ModelStage(config, options.stage_progress)
    chunks = [pending[start : start + options.chunk_size] for start in range(0, len(pending), options.chunk_size)]
    with _worker_pool(options.workers) as pool:

        def run(step: Callable[..., Any], items: Sequence[Any]) -> Iterator[Any]:
            if pool is None:
                return map(partial(step, config=config), items)
            return pool.map(partial(step, config=config), items, chunksize=max(1, len(items) // (2 * options.workers)))

        upcoming = run(prepare_document, chunks[0])
        for k, chunk in enumerate(chunks):
            prepared = list(upcoming)
            if k + 1 < len(chunks):
                upcoming = run(prepare_document, chunks[k + 1])  # workers read ahead while the models run
            stage.translate_and_encode(prepared)
            aligned = list(run(align_document, prepared))
            for outcome in stage.check([pair.doc_id for pair in chunk], prepared, aligned):
                commit(outcome)


# ---------------------------------------------------------------------------------------------
# Ray: Ray Data tasks read, segment and align; two actors hold the models.
# Rows carry pickled stage objects in one binary column, so Arrow never has to type them.


def _ray_step(row: dict[str, Any], step: Callable[..., Any], config: AlignConfig) -> dict[str, Any]:
    return {"doc_id": row["doc_id"], "item": pickle.dumps(step(pickle.loads(row["item"]), config))}


class _RayModelStage:
    """A Ray actor around :class:`ModelStage`: constructed once, called per batch of rows."""

    def __init__(self, config: AlignConfig) -> None:
        self.stage = ModelStage(config)


class _Translating(_RayModelStage):
    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        prepared = [pickle.loads(item) for item in batch["item"]]
        self.stage.translate_and_encode(prepared)
        return {"doc_id": batch["doc_id"], "item": np.array([pickle.dumps(p) for p in prepared], dtype=object)}


class _Checking(_RayModelStage):
    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        steps = [pickle.loads(item) for item in batch["item"]]
        outcomes = self.stage.check(list(batch["doc_id"]), [p for p, _ in steps], [a for _, a in steps])
        return {"doc_id": batch["doc_id"], "item": np.array([pickle.dumps(o) for o in outcomes], dtype=object)}


def _align_keeping_pair(prepared: PreparedPair | str, config: AlignConfig) -> tuple[PreparedPair | str, AlignedPair | str]:
    """Step 3, keeping the prepared pair for the checks (which reuse its translations)."""
    return prepared, align_document(prepared, config)


#: Settings of this process that Ray's workers get too: the caches (which keep each sentence's
#: first translation, see the README on determinism) and the Hugging Face hub's.
FORWARDED_SETTINGS = ("ALIGNER_CACHE_DIR", "HF_HOME", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


@contextmanager
def ray_session(address: str | None) -> Iterator[Any]:
    """Ray, connected to ``address`` (``auto``, ``ray://…``, or ``RAY_ADDRESS``) or to a local
    instance started here and stopped afterwards."""
    verbose = log.getEffectiveLevel() < logging.WARNING
    try:
        import ray
        import ray.data
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'aligner[ray]'") from None
    level = logging.INFO if verbose else logging.CRITICAL  # Ray's own lines only with -v; its errors are re-raised
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(level)
    started = not ray.is_initialized()
    if started:
        address = address or os.environ.get("RAY_ADDRESS")
        num_cpus = None if address else (os.cpu_count() or 1) + 2  # a local instance: room for the two model actors
        try:
            ray.init(address=address, num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, logging_level=level)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ConfigError(f"cannot start or reach Ray{f' at {address}' if address else ''}: {error}") from None
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def run_ray(pending: list[DocumentPair], config: AlignConfig, options: BuildOptions, commit: Commit) -> None:
    with ray_session(options.ray_address) as ray:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        # One actor per model stage. Not restarted: a run whose actor died is re-run and resumes.
        model_actor = {
            "compute": ray.data.ActorPoolStrategy(size=1),
            "fn_constructor_kwargs": {"config": config},
            "batch_size": options.chunk_size,
            "batch_format": "numpy",
            "max_restarts": 0,
        }
        model_resources: dict[str, Any] = {"num_gpus": 1} if (config.device or "").startswith("cuda") else {}
        settings = {name: os.environ[name] for name in FORWARDED_SETTINGS if name in os.environ}
        task = {"runtime_env": {"env_vars": settings}} if settings else {}
        model_resources.update(task)
        rows = ray.data.from_items([{"doc_id": pair.doc_id, "item": pickle.dumps(pair)} for pair in pending])
        rows = rows.map(_ray_step, fn_kwargs={"step": prepare_document, "config": config}, **task)
        with warnings.catch_warnings():  # max_restarts has no named parameter (yet) and warns
            warnings.simplefilter("ignore", DeprecationWarning)
            rows = rows.map_batches(_Translating, **model_actor, **model_resources)
            rows = rows.map(_ray_step, fn_kwargs={"step": _align_keeping_pair, "config": config}, **task)
            rows = rows.map_batches(_Checking, **model_actor, **model_resources)
        try:
            for row in rows.iter_rows():
                commit(pickle.loads(row["item"]))
        except ray.exceptions.RayError as error:
            raise _reason(error) from None


def _reason(error: BaseException) -> AlignerError:
    """The :class:`AlignerError` a Ray task or actor raised, or the Ray failure in one line.

    Ray Data hands the driver its own exception, with the task's traceback as text only: the
    error is read back from that text's ``aligner.errors.Name: message`` line.
    """
    log.debug("Ray run failed", exc_info=error)
    raised = [
        (name, message)
        for name, message in re.findall(r"^([\w.]+(?:Error|Exception)): (.*)$", str(error), flags=re.MULTILINE)
        if not name.startswith("ray.")
    ]
    if not raised:
        return AlignerError(f"the Ray run failed: {type(error).__name__} (-vv for the trace)")
    name, message = raised[0]
    cls = getattr(errors, name.removeprefix("aligner.errors."), None) if name.startswith("aligner.errors.") else None
    if isinstance(cls, type) and issubclass(cls, AlignerError):
        return cls(message)
    return AlignerError(f"the Ray run failed: {name}: {message} (-vv for the trace)")
