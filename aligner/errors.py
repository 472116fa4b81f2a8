"""Exceptions raised by the library; the CLI turns each into one line and an exit code."""


class AlignerError(Exception):
    """Base class: every failure the user can act on."""

    exit_code = 1


class InputError(AlignerError):
    """A document, gold file, translation file or manifest cannot be used."""

    exit_code = 2


class ConfigError(AlignerError):
    """An option, a language code or a configuration value is not valid."""

    exit_code = 2


class ModelUnavailableError(AlignerError):
    """A model cannot be loaded (not cached, offline, or not a model folder)."""

    exit_code = 3


class BackendUnavailableError(ModelUnavailableError):
    """An MT backend cannot run on the device asked for (CTranslate2 built for another CUDA, say)."""


class OutputError(AlignerError):
    """The output folder cannot be written (not a folder, not ours, no permission, full disk)."""

    exit_code = 2


def cannot_be_written(path: object, error: Exception, where: str = "") -> OutputError:
    """The one line for a write to ``path`` that failed (an OSError, or SQLite's "database or disk
    is full"): its reason, and ``where`` after it."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else error
    return OutputError(f"{path}: cannot be written: {reason}{where}")
