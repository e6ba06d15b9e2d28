"""``frontline serve``: refuses to open reads beyond loopback without a token, and serves otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Any:
    from frontline.cli import main

    monkeypatch.delenv("FRONTLINE_API_TOKEN", raising=False)
    return main


def test_serving_beyond_loopback_without_a_token_is_refused(cli: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 3
    assert "FRONTLINE_API_TOKEN" in result.output and "--public" in result.output


def test_serve_builds_the_app_and_runs_uvicorn(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    class FakeServer:  # the real one would block serving; we check what it was given
        def __init__(self, config: Any) -> None:
            seen.update(host=config.host, port=config.port, app=config.app, config=config)

        def run(self) -> None:
            pass

    import frontline.cli.serve as serve_module

    monkeypatch.setattr(serve_module, "stopping_server", FakeServer)
    monkeypatch.setenv("FRONTLINE_API_TOKEN", "t")
    assert CliRunner().invoke(cli, ["db", "init", "--db", str(tmp_path / "s.db")]).exit_code == 0
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0", "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8123)
    state = seen["app"].state.frontline
    assert state.reads_need_token is True
    assert seen["config"].timeout_graceful_shutdown == serve_module.SHUTDOWN_GRACE


def test_serve_refuses_a_database_that_does_not_exist(cli: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "typo.db")])
    assert result.exit_code == 5 and "no Frontline database" in result.output
    assert not (tmp_path / "typo.db").exists()


def test_a_bad_port_is_a_usage_error(cli: Any) -> None:
    result = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert result.exit_code == 2
