"""A truncated or malformed feed is a failure of that feed, reported, and the other feeds go on (issue 14,
point 4): ingest and watch used to take a cut-off feed's first entries, or none, with exit 0 and no word."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from frontline.cli import main
from frontline.engine.base import Engine
from frontline.errors import FetchError
from frontline.ingest import ingest, watch
from frontline.settings import Settings
from frontline.sources import Fetcher, parse_feed
from frontline.store.sql import SQLStore

from .conftest import DATA, STUB, Web, page

RSS = (DATA / "rss.xml").read_bytes()
ATOM = (DATA / "atom.xml").read_bytes()


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8, 0.97])
@pytest.mark.parametrize("body", [RSS, ATOM], ids=["rss", "atom"])
def test_a_feed_cut_anywhere_is_refused_whole(body: bytes, fraction: float) -> None:
    with pytest.raises(FetchError, match="malformed feed") as err:
        parse_feed(body[: int(len(body) * fraction)], source="cut.xml")
    assert "cut.xml" in str(err.value)


def test_a_whole_feed_still_reads() -> None:
    assert [j.origin for j in parse_feed(RSS, source="rss.xml")][:2] == [
        "https://news.example.org/hama",
        "https://news.example.org/aleppo",
    ]


def test_entries_without_a_link_are_reported() -> None:
    body = RSS.replace(b"<link>https://news.example.org/gone</link>", b"")
    skipped: list = []
    jobs = parse_feed(body, source="rss.xml", skipped=skipped)
    assert len(jobs) == 3
    assert len(skipped) == 1 and "1 of 4 feed entries have no http(s) link" in skipped[0].error


def test_ingest_reports_a_truncated_feed_and_reads_the_others(
    sqlite_store: SQLStore, engine: Engine, web: Web, fetcher: Fetcher, settings: Settings, tmp_path: Path
) -> None:
    good, cut = "https://news.example.org/feed.xml", "https://cut.example.org/feed.xml"
    web.add(good, RSS, content_type="application/rss+xml")
    web.add(cut, RSS[: len(RSS) // 2], content_type="application/rss+xml")
    web.add("https://news.example.org/hama", page("Hama", "Rebels seized Hama on Thursday."))
    local = tmp_path / "cut.xml"
    local.write_bytes(ATOM[: len(ATOM) // 2])
    summary = ingest([cut, str(local), good], sqlite_store, engine, fetcher=fetcher, settings=settings)
    reasons = {f.origin: f.error for f in summary.failed}
    assert "malformed feed" in reasons[cut] and "truncated" in reasons[cut]
    assert "malformed feed" in reasons[str(local)]
    assert summary.new == 1  # the good feed's Hama page
    assert web.fetched("https://news.example.org/hama") == 1


def test_the_cli_says_which_feed_failed_and_exits_1(tmp_path: Path) -> None:
    cut = tmp_path / "cut.rss"
    cut.write_bytes(RSS[: len(RSS) // 3])
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.json").write_text('{"published": "2024-12-06", "text": "Rebels seized Hama."}')
    result = CliRunner().invoke(
        main,
        [
            "ingest",
            str(cut),
            str(reports),
            "--db",
            str(tmp_path / "f.db"),
            "--engine",
            "serial",
            "--pipeline-factory",
            STUB,
            "--no-progress",
        ],
        env={"PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert result.exit_code == 1, result.output
    assert "new 1" in result.stderr and "failed 1" in result.stderr
    assert f"failed: {cut}: malformed feed" in result.stderr


def test_watch_reports_a_truncated_feed_each_round_and_polls_the_others(
    sqlite_store: SQLStore, engine: Engine, web: Web, fetcher: Fetcher, settings: Settings
) -> None:
    good, cut = "https://news.example.org/feed.xml", "https://cut.example.org/feed.xml"
    web.add(good, RSS, content_type="application/rss+xml")
    web.add(cut, RSS[:300], content_type="application/rss+xml")
    web.add("https://news.example.org/hama", page("Hama", "Rebels seized Hama on Thursday."))
    rounds: list = []
    watch(
        [cut, good],
        sqlite_store,
        engine,
        every=0.01,
        fetcher=fetcher,
        settings=settings,
        rounds=2,
        on_round=lambda n, s: rounds.append(s),
    )
    assert [r.new for r in rounds] == [1, 0]
    assert all(any(f.origin == cut and "malformed feed" in f.error for f in r.failed) for r in rounds)
