"""Every command explains itself and is documented: --help works, and the README or docs/ name it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from frontline.cli import main

ROOT = Path(__file__).resolve().parents[2]


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        out.append(path)
        if isinstance(cmd, click.Group):
            out.extend(commands(cmd, path))
    return out


ALL = commands(main)
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_help_explains(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    body = result.output.split("Options:")[0]
    assert len(body.split()) >= 6, f"`frontline {' '.join(path)} --help` says too little: {body!r}"


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_documented(path: tuple[str, ...]) -> None:
    assert f"frontline {' '.join(path)}" in DOCS, f"`frontline {' '.join(path)}` is in no README or docs page"
