"""The batch engine interface: run the pipeline over many articles, locally or on a cluster.

An engine takes articles and yields one ``Outcome`` per article, in input order. The pipeline function is
the same everywhere; each worker builds its ``Pipeline`` once and reuses it for every article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..article import Article
    from ..schema import Analysis


@dataclass
class Outcome:
    article: Article
    analysis: Analysis | None
    error: str | None = None  # why the article failed; the batch goes on

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class Engine(Protocol):
    name: str

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        """One Outcome per article, in input order."""
        ...

    def close(self) -> None: ...


class SerialEngine:
    """In this process, one article at a time: for tests, tiny inputs, and as the reference result."""

    name = "serial"

    def __init__(self, settings: object | None = None) -> None:
        self._settings = settings

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        from .. import get_pipeline
        from ..errors import FrontlineError

        pipeline = get_pipeline(self._settings)  # type: ignore[arg-type]
        for article in articles:
            try:
                yield Outcome(article, pipeline(article))
            except FrontlineError as exc:
                yield Outcome(article, None, str(exc))
            except Exception as exc:  # a bug on one article must not take the batch down; it is recorded
                yield Outcome(article, None, f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        pass
