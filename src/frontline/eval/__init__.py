"""Accuracy evaluation: how well Frontline's output matches what analysts read out of the same text.

Three scorers, one module each, all returning report objects with ``to_dict()`` (``report.py`` prints them):

    rules    an ``expected.json`` rule file (must / must_not / should) checked against one Analysis
    gold     a gold JSONL of articles with their events, control changes, quotes and toponyms: P/R/F1
    plover   the PLOVER gold-standard records: event type accuracy and macro-F1

Evaluation data (``shared/``) is not shipped in the package: its licences say where it may be copied, and
the package is not one of those places. ``shared_dir`` finds it beside the repository.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, ExtractionError, FrontlineError

if TYPE_CHECKING:
    from ..article import Article
    from ..schema import Analysis

SHARED_ENV = "FRONTLINE_SHARED"


def repo_root() -> Path:
    """The source checkout this package runs from (``src/frontline/eval`` is three levels below it)."""
    return Path(__file__).resolve().parents[3]


def shared_dir(path: str | Path | None = None) -> Path:
    """The shared data folder: ``path`` if given, else ``$FRONTLINE_SHARED``, else ``<repo root>/../shared``.

    Raises ConfigError naming every place looked at when the folder is missing, so that a CI without the
    data fails with a message instead of scoring nothing.
    """
    # The evaluation corpus is a development resource, not a runtime setting, so it is read here rather
    # than through ``Settings``; the CLI passes ``--shared`` explicitly when given.
    candidate = Path(path) if path else Path(os.environ.get(SHARED_ENV) or repo_root().parent / "shared")
    if not candidate.is_dir():
        raise ConfigError(
            f"shared evaluation data not found at {candidate}; check out the shared data beside "
            f"the repository or set {SHARED_ENV} to its folder"
        )
    return candidate


def shared_file(relative: str, shared: str | Path | None = None) -> Path:
    """A file inside the shared folder, with a clear error when it is missing."""
    p = shared_dir(shared) / relative
    if not p.is_file():
        raise ConfigError(
            f"shared evaluation file missing: {p} (is {SHARED_ENV} pointing at the right folder?)"
        )
    return p


def analyse_all(pipeline: Any, articles: Iterable[Article]) -> Iterator[Analysis | FrontlineError]:
    """Run the pipeline article by article; one that fails yields its error and the rest go on.

    Unlike ``Pipeline.pipe`` this also catches unexpected exceptions: an evaluation must report how many
    articles crashed and score them as misses, not stop at the first bug it finds.
    """
    for article in articles:
        try:
            yield pipeline(article)
        except FrontlineError as exc:
            yield exc
        except Exception as exc:  # any bug in any stage: recorded against this article, the run goes on
            yield ExtractionError(f"{type(exc).__name__}: {exc}", source=article.id)


PLOVER_GSR = "data/plover-gsr/PLOVER_GSR_CAMEO.json"
HAMA_EXPECTED = "examples/hama-2024-12/expected.json"
HAMA_ARTICLE = "examples/hama-2024-12/article.json"
UCDP_SAMPLE = "data/ucdp-ged-sample/ucdp_ged_23_1_sample_1000.csv"
GEOVIRUS = "data/geovirus/GeoVirus.xml"

__all__ = [
    "GEOVIRUS",
    "HAMA_ARTICLE",
    "HAMA_EXPECTED",
    "PLOVER_GSR",
    "SHARED_ENV",
    "UCDP_SAMPLE",
    "analyse_all",
    "repo_root",
    "shared_dir",
    "shared_file",
]
