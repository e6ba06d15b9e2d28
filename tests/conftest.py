"""Shared fixtures: one pipeline per test session (models and gazetteer load once), the shared data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The project's shared data (``../shared`` beside the repository, or FRONTLINE_SHARED)."""
    path = Path(os.environ.get("FRONTLINE_SHARED", ROOT.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"shared data not found at {path}; set FRONTLINE_SHARED to the shared/ folder")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def pipeline():
    from frontline import get_pipeline

    return get_pipeline()


@pytest.fixture(scope="session")
def hama_article(shared):
    return json.loads((shared / "examples" / "hama-2024-12" / "article.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def hama(pipeline, hama_article):
    """The Hama report's analysis, computed once for every test that reads it."""
    from frontline.article import from_mapping

    return pipeline(from_mapping(hama_article, name="hama article.json"))
