"""A bad FRONTLINE_* value is a one-line error naming the variable, with the configuration exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from frontline.cli import main
from frontline.errors import ConfigError
from frontline.settings import get_settings, load_settings


def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTLINE_CONTROL_ANAPHOR_MARGIN", "2")
    with pytest.raises(ConfigError, match="FRONTLINE_CONTROL_ANAPHOR_MARGIN='2'"):
        load_settings()


def test_the_cli_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Rebels seized Hama on Thursday.", encoding="utf-8")
    monkeypatch.setenv("FRONTLINE_CONTROL_THRESHOLD", "not-a-number")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["extract", str(article)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == ConfigError.exit_code
    assert "FRONTLINE_CONTROL_THRESHOLD='not-a-number'" in result.output
    assert "Traceback" not in result.output
