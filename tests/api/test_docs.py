"""Docs are tested: every route has a summary in the OpenAPI document and an entry in docs/api.md, and
``frontline serve`` has its help text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def routes(client: TestClient) -> list[tuple[str, str, dict]]:
    spec = client.get("/api/openapi.json").json()
    return [(method.upper(), path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_every_route_is_documented(client: TestClient) -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `(GET|POST) (/api/[^`]+)`", text, flags=re.M))
    found = {(m, p) for m, p, _ in routes(client)}
    assert found == documented, (
        f"undocumented: {found - documented}; documented but gone: {documented - found}"
    )


def test_every_route_has_a_summary_and_write_routes_declare_the_token(client: TestClient) -> None:
    for method, path, op in routes(client):
        assert op.get("summary"), f"{method} {path} has no summary"
        if method == "POST":
            assert op.get("security"), f"{method} {path} does not say it needs the token"
            assert "401" in op["responses"]


def test_the_docs_page_works_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in page.text and "cdn" not in page.text.lower()


def test_serve_has_help() -> None:
    click_testing = pytest.importorskip("click.testing")
    try:
        from frontline.cli import main
    except ImportError as exc:  # another area's command module is not there yet
        pytest.fail(f"the CLI does not import: {exc}")
    result = click_testing.CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--db", "--host", "--port", "--public", "FRONTLINE_API_TOKEN"):
        assert option in result.output
