"""Finding the shared evaluation data: explicit path, $FRONTLINE_SHARED, then ../shared; a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontline.errors import ConfigError
from frontline.eval import SHARED_ENV, repo_root, shared_dir, shared_file


def test_the_environment_variable_wins_over_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SHARED_ENV, str(tmp_path))
    assert shared_dir() == tmp_path
    assert shared_dir(tmp_path / "..") == tmp_path / ".."


def test_the_default_is_beside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SHARED_ENV, raising=False)
    assert (repo_root() / "pyproject.toml").is_file()
    expected = repo_root().parent / "shared"
    if expected.is_dir():
        assert shared_dir() == expected
    else:
        with pytest.raises(ConfigError):
            shared_dir()


def test_missing_data_is_an_error_that_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SHARED_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match=SHARED_ENV) as info:
        shared_dir()
    assert "nowhere" in str(info.value)
    monkeypatch.setenv(SHARED_ENV, str(tmp_path))
    with pytest.raises(ConfigError, match="missing"):
        shared_file("data/plover-gsr/PLOVER_GSR_CAMEO.json")
