from __future__ import annotations

from pathlib import Path

import pytest

from frontline.settings import Settings

FAKE = "engine_factories:fake_pipeline"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose data_dir is the test's scratch folder (the fake pipeline logs its loads there)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return Settings(data_dir=scratch)
