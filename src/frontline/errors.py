"""Frontline's exceptions: a small hierarchy that carries context.

Every error says which input and what went wrong; the CLI maps them to exit codes and the API to HTTP
statuses in one place each (``exit_code`` and ``http_status`` below).
"""

from __future__ import annotations


class FrontlineError(Exception):
    """Base of every error Frontline raises on purpose."""

    exit_code = 1
    http_status = 500

    def __init__(
        self, message: str, *, source: str | None = None, line: int | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{': '.join(where)}: {self.message}" if where else self.message


class InputError(FrontlineError):
    """The input cannot be read as an article (empty, binary, too large, malformed)."""

    exit_code = 2
    http_status = 422


class ConfigError(FrontlineError):
    """A setting or option is invalid, or an optional component is not installed."""

    exit_code = 3
    http_status = 500


class GazetteerError(FrontlineError):
    """The gazetteer index is missing, corrupt or cannot be built."""

    exit_code = 4


class CatalogueError(FrontlineError):
    """An actor catalogue file is malformed."""

    exit_code = 3


class StoreError(FrontlineError):
    """The database cannot be opened, migrated or written."""

    exit_code = 5
    http_status = 503


class NoDatabase(StoreError):
    """The database named does not exist, and the command only reads (a mistyped ``--db``?)."""

    http_status = 404


class FetchError(FrontlineError):
    """A URL or feed could not be fetched or is not what we accept."""

    exit_code = 6
    http_status = 502


class NotFound(FrontlineError):
    """A requested record does not exist."""

    exit_code = 7
    http_status = 404


class EngineError(FrontlineError):
    """A batch engine failed to start or lost work it could not retry."""

    exit_code = 8


class ExtractionError(FrontlineError):
    """An article could not be analysed (a bug or an unexpected input): recorded, and the batch goes on."""

    exit_code = 9


class TimeLimitExceeded(FrontlineError):
    """Work stopped at its time budget (the analysis of a very long article), or by a shutdown."""

    exit_code = 10
    http_status = 503
