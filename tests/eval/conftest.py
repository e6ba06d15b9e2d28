"""Fixtures for the evaluation tests: the shared data (required, never skipped) and the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontline.errors import ConfigError
from frontline.eval import shared_dir


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder. Missing data fails the test with the reason: a gate that skips when its
    corpus is absent would pass in exactly the CI where nobody is looking."""
    try:
        return shared_dir()
    except ConfigError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def pipeline():
    import frontline

    return frontline.get_pipeline()
