"""Models shared by the aligner and the checks, each loaded once on first use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError, ModelUnavailableError


@dataclass
class SharedModels:
    """Models shared by the aligner and the checks, each loaded once on first use: a sentence
    encoder, and a MarianMT translator per direction. A model that failed to load is not tried
    again: the same error is raised at once."""

    make_encoder: Callable[[], Any] | None = None
    make_translator: Callable[[str, str], Any] | None = None
    _loaded: dict[Any, Any] = field(default_factory=dict)

    def encoder(self) -> Any:
        return self._load("encoder", self.make_encoder, (), "no sentence embedding model")

    def translator(self, source: str, target: str) -> Any:
        return self._load((source, target), self.make_translator, (source, target), f"no MarianMT model for {source}→{target}")

    def forget_vectors(self) -> None:
        """Let a loaded encoder drop the vectors it keeps in memory."""
        encoder = self._loaded.get("encoder")
        if encoder is not None and not isinstance(encoder, Exception):
            encoder.forget()

    def _load(self, key: Any, factory: Callable[..., Any] | None, arguments: tuple, missing: str) -> Any:
        if key not in self._loaded:
            try:
                if factory is None:
                    raise ConfigError(missing)
                self._loaded[key] = factory(*arguments)
            except (ConfigError, ModelUnavailableError) as error:
                self._loaded[key] = error
        value = self._loaded[key]
        if isinstance(value, Exception):
            raise value
        return value
