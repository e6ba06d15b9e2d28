"""Ingest from files, folders, pages and feeds: merging, idempotence, per-item failures, kill and re-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from frontline.engine.base import Engine
from frontline.ingest import ingest, parse_interval, watch
from frontline.settings import Settings
from frontline.sources import Fetcher
from frontline.store.sql import SQLStore

from .conftest import DATA, STUB, Web, page

FILES = DATA / "files"
REPO = Path(__file__).resolve().parents[2]


def test_folder_ingest_merges_reports_and_reports_failures(
    store: SQLStore, engine: Engine, settings: Settings
) -> None:
    summary = ingest([str(FILES)], store, engine, settings=settings)
    assert summary.new == 6
    failed = {
        Path(f.origin.split(":")[0]).name + (":" + f.origin.split(":")[1] if ":" in f.origin else "")
        for f in summary.failed
    }
    assert failed == {"empty.txt", "image.txt", "reports.jsonl:3", "reports.jsonl:4"}
    assert any("impossible" in f.error or "not a real" in f.error for f in summary.failed)

    # three outlets' reports of Hama's capture: one event, every source behind it
    hama = [e for e in store.list_events(with_sources=True).items if e.location == "Hama"]
    assert len(hama) == 1
    assert hama[0].n_reports == 3
    assert {s.source for s in hama[0].sources} == {"Reuters", "AFP", "Al Jazeera"}
    assert {s.article_id for s in hama[0].sources} >= {"afp-hama", "aj-hama"}
    held = {c.place.name: c for c in store.control_at(__import__("datetime").date(2024, 12, 6))}
    assert held["Hama"].n_reports == 3 and held["Aleppo"].to_actor == "Hayat Tahrir al-Sham"


def test_ingesting_twice_changes_nothing(store: SQLStore, engine: Engine, settings: Settings) -> None:
    first = ingest([str(FILES)], store, engine, settings=settings)
    before = store.stats().model_dump(exclude={"size_bytes"})
    events_before = [e.model_dump(exclude={"updated_at"}) for e in store.iter_events(with_sources=True)]
    second = ingest([str(FILES)], store, engine, settings=settings)
    assert second.new == 0 and second.updated == 0
    assert second.unchanged == first.new
    assert store.stats().model_dump(exclude={"size_bytes"}) == before
    assert [
        e.model_dump(exclude={"updated_at"}) for e in store.iter_events(with_sources=True)
    ] == events_before


def test_same_article_in_two_files_is_stored_once(
    sqlite_store: SQLStore, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    text = "Rebels seized Homs on Saturday. Residents fled."
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text + "\n")  # whitespace differs: the same content hash
    summary = ingest(
        [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], sqlite_store, engine, settings=settings
    )
    assert (summary.new, summary.unchanged) == (1, 1)
    assert sqlite_store.stats().articles == 1


def test_feed_entries_are_fetched_once_and_bad_items_reported(
    store: SQLStore, engine: Engine, web: Web, fetcher: Fetcher, settings: Settings
) -> None:
    feed = "https://news.example.org/feed.xml"
    web.add(feed, (DATA / "rss.xml").read_bytes(), content_type="application/rss+xml")
    web.add(
        "https://news.example.org/hama",
        page(
            "Rebels seize Hama",
            "Rebels seized Hama on Thursday after the army withdrew.\n"
            "The defence ministry confirmed the withdrawal of its troops.",
        ),
    )
    web.add(
        "https://news.example.org/aleppo",
        page(
            "Aleppo falls",
            "Insurgents took Aleppo on Friday night, residents said.\nGovernment forces left the city.",
            date="2024-11-30",
        ),
    )
    web.add("https://news.example.org/video.mp4", b"\x00\x00\x00 ftypmp42", content_type="video/mp4")
    # "gone" is not routed: 404

    summary = ingest([feed], store, engine, fetcher=fetcher, settings=settings)
    assert summary.new == 2
    reasons = {f.origin: f.error for f in summary.failed}
    assert "not a web page (video/mp4)" in reasons["https://news.example.org/video.mp4"]
    assert "HTTP 404" in reasons["https://news.example.org/gone"]
    stored = store.get_article(store.seen("https://news.example.org/hama") or "")
    assert stored.title == "Rebels seize Hama" and "Copyright" not in stored.text  # main text only
    assert stored.published is not None and stored.published.isoformat() == "2024-12-06"
    assert all(r.headers["user-agent"] == settings.user_agent for r in web.requests)

    again = ingest([feed], store, engine, fetcher=fetcher, settings=settings)
    assert again.new == 0 and again.unchanged == 2
    assert web.fetched("https://news.example.org/hama") == 1  # seen entries are not fetched again
    assert web.fetched(feed) == 2
    assert web.fetched("https://news.example.org/gone") == 2  # failures are retried


def test_unreachable_oversized_redirecting_and_malformed_inputs_fail_alone(
    sqlite_store: SQLStore, engine: Engine, settings: Settings
) -> None:
    big = "https://big.example.org/page"
    ok = "https://ok.example.org/page"

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url == ok:
            return httpx.Response(200, html=page("Homs", "Rebels seized Homs on Saturday, witnesses said."))
        if url == big:  # streams past the limit without declaring a length
            return httpx.Response(
                200, headers={"content-type": "text/html"}, content=iter([b"<p>" + b"x" * 100_000] * 5)
            )
        if url.startswith("https://loop.example.org/"):
            return httpx.Response(302, headers={"location": url + "x"})
        if url == "https://slow.example.org/":
            raise httpx.ReadTimeout("read timed out", request=request)
        if url == "https://bad-feed.example.org/rss":
            return httpx.Response(
                200,
                content=(DATA / "malformed.xml").read_bytes(),
                headers={"content-type": "application/rss+xml"},
            )
        raise httpx.ConnectError("connection refused", request=request)

    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        summary = ingest(
            [
                big,
                "https://loop.example.org/",
                "https://slow.example.org/",
                "https://down.example.org/",
                "https://bad-feed.example.org/rss",
                ok,
                str(DATA / "malformed.xml"),
                "/no/such/file.txt",
            ],
            sqlite_store,
            engine,
            fetcher=fetcher,
            settings=settings,
        )
    assert summary.new == 1
    reasons = {f.origin: f.error for f in summary.failed}
    assert "byte limit" in reasons[big]
    assert "redirects" in reasons["https://loop.example.org/"]
    assert "timed out" in reasons["https://slow.example.org/"]
    assert "cannot fetch" in reasons["https://down.example.org/"]
    assert "malformed feed" in reasons["https://bad-feed.example.org/rss"]
    assert "malformed feed" in reasons[str(DATA / "malformed.xml")]
    assert "no such file" in reasons["/no/such/file.txt"]
    assert len(summary.failed) == 7


def test_local_feed_file_and_atom(
    sqlite_store: SQLStore, engine: Engine, web: Web, fetcher: Fetcher, settings: Settings
) -> None:
    web.add(
        "https://wire.example.com/2024/12/06/hama",
        page("Hama captured", "Opposition fighters captured Hama on Thursday, the wire reported."),
    )
    summary = ingest([str(DATA / "atom.xml")], sqlite_store, engine, fetcher=fetcher, settings=settings)
    assert summary.new == 1 and summary.feeds == [str(DATA / "atom.xml")]
    assert sqlite_store.list_events().items[0].location == "Hama"


def test_an_extraction_failure_is_recorded_and_the_rest_go_on(
    sqlite_store: SQLStore, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "bad.txt").write_text("EXPLODE: this article breaks the extractor.")
    (tmp_path / "good.txt").write_text("Rebels seized Homs on Saturday.")
    summary = ingest([str(tmp_path)], sqlite_store, engine, settings=settings)
    assert summary.new == 1
    assert len(summary.failed) == 1 and "told to fail" in summary.failed[0].error
    # the failed article is not stored, so a later run tries it again
    assert sqlite_store.stats().articles == 1


def test_watch_ingests_only_new_entries_and_survives_a_broken_feed(
    sqlite_store: SQLStore, engine: Engine, web: Web, fetcher: Fetcher, settings: Settings
) -> None:
    feed, broken = "https://news.example.org/feed.xml", "https://broken.example.org/feed.xml"
    rss = (DATA / "rss.xml").read_text()
    web.add(feed, rss, content_type="application/rss+xml")
    web.add(broken, "<html>maintenance</html>", status=503)
    web.add("https://news.example.org/hama", page("Hama", "Rebels seized Hama on Thursday."))
    rounds: list = []

    def on_round(n: int, summary: object) -> None:
        rounds.append(summary)
        if n == 1:  # a new entry appears in the feed between polls
            web.add(
                feed,
                rss.replace(
                    "<item><title>Gone</title>",
                    "<item><title>New</title><link>https://news.example.org/homs</link>"
                    "<pubDate>Sun, 08 Dec 2024 09:00:00 GMT</pubDate></item>"
                    "<item><title>Gone</title>",
                ),
                content_type="application/rss+xml",
            )
            web.add("https://news.example.org/homs", page("Homs", "Rebels captured Homs on Saturday."))

    done = watch(
        [feed, broken],
        sqlite_store,
        engine,
        every=0.01,
        fetcher=fetcher,
        settings=settings,
        rounds=3,
        on_round=on_round,
    )
    assert done == 3
    assert [r.new for r in rounds] == [1, 1, 0]
    assert all(any(f.origin == broken and "HTTP 503" in f.error for f in r.failed) for r in rounds)
    assert web.fetched("https://news.example.org/hama") == 1
    assert {e.location for e in sqlite_store.list_events().items} == {"Hama", "Homs"}


def test_parse_interval() -> None:
    assert parse_interval("15m") == 900 and parse_interval("1h") == 3600 and parse_interval("90") == 90
    with pytest.raises(Exception, match="not like"):
        parse_interval("soon")


def _cli(args: list[str], env: dict[str, str], **kw: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from frontline.cli import main; main()", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )  # type: ignore[call-overload]


def test_a_killed_ingest_rerun_completes_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    n = 40
    for i in range(n):
        place = ("Hama", "Aleppo", "Homs")[i % 3]
        (corpus / f"{i:03d}.json").write_text(
            json.dumps(
                {
                    "published": f"2024-12-{1 + i % 9:02d}",
                    "source": f"Outlet {i}",
                    "text": f"Report {i}: rebels seized {place}. Witnesses described the scene.",
                }
            )
        )
    db = tmp_path / "kill.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "tests"),
        "FRONTLINE_STUB_DELAY": "0.1",
        "FRONTLINE_DATA_DIR": str(tmp_path),
    }
    args = [
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--engine",
        "serial",
        "--pipeline-factory",
        STUB,
        "--no-progress",
    ]
    proc = _cli(args, env)
    deadline = time.monotonic() + 30
    stored = 0
    while time.monotonic() < deadline:  # wait until it is part-way through, then kill it hard
        time.sleep(0.1)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as con:
                    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 5:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert 5 <= stored < n, "the first run should have been killed part-way"

    with sqlite3.connect(db) as con:
        # whole articles only: every stored article has its reports and its control claims
        partial = con.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM reports r WHERE r.article_id = a.id)"
        ).fetchone()[0]
        assert partial == 0
        killed_at = con.execute("SELECT count(*) FROM articles").fetchone()[0]

    env["FRONTLINE_STUB_DELAY"] = "0"
    rerun = _cli([*args, "--format", "json"], env)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["unchanged"] == killed_at and summary["new"] == n - killed_at

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == n
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == n
        assert con.execute("SELECT count(DISTINCT article_id) FROM control_claims").fetchone()[0] == n
        # every report counted once in its event
        assert con.execute("SELECT sum(n_reports) FROM events").fetchone()[0] == n


def test_a_page_url_is_fetched_once_unless_refetch(
    sqlite_store: SQLStore, engine: Engine, web: Web, fetcher: Fetcher, settings: Settings
) -> None:
    url = "https://news.example.org/homs"
    web.add(url, page("Homs", "Rebels captured Homs on Saturday, residents said."))
    first = ingest([url], sqlite_store, engine, fetcher=fetcher, settings=settings)
    second = ingest([url], sqlite_store, engine, fetcher=fetcher, settings=settings)
    third = ingest([url], sqlite_store, engine, fetcher=fetcher, settings=settings, refetch=True)
    assert (first.new, second.unchanged, third.unchanged) == (1, 1, 1)
    assert web.fetched(url) == 2  # the first run and the explicit refetch
    assert sqlite_store.stats().articles == 1
