"""``extract`` reads what ``ingest`` reads, by the same rules (issue 14, point 10): URLs of pages and
feeds are fetched (not mangled into paths), folders are walked for every article file, and
``--format table`` on a corpus is refused instead of quietly printing JSON."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontline.cli import main
from frontline.engine.batch import expand_inputs
from frontline.sources import expand

REPORT = "Syrian rebels seized control of Hama on Thursday. Government forces withdrew from Hama."
PAGE = (
    "<!doctype html><html><head><title>Hama falls</title>"
    '<meta property="article:published_time" content="2024-12-06T10:00:00Z"></head><body>'
    f"<article><h1>Hama falls</h1><p>{REPORT}</p><p>{REPORT}</p></article></body></html>"
)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """A web server on loopback: /hama (a page), /feed.xml (a feed listing it)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/hama":
                body, ctype = PAGE.encode(), "text/html; charset=utf-8"
            elif self.path == "/feed.xml":
                body = (
                    '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
                    f"<item><title>Hama falls</title><link>{base}/hama</link>"
                    "<pubDate>Fri, 06 Dec 2024 09:00:00 GMT</pubDate></item></channel></rss>"
                ).encode()
                ctype = "application/rss+xml"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["extract", *args])


def test_an_unreachable_url_is_named_as_given(pipeline) -> None:  # type: ignore[no-untyped-def]
    result = run("http://127.0.0.1:1/")
    assert result.exit_code == 6, result.output
    assert "http://127.0.0.1:1/" in result.stderr and "http:/127" not in result.stderr.replace("//", "")


def test_a_page_url_is_fetched_and_read(site: str, pipeline) -> None:  # type: ignore[no-untyped-def]
    result = run(f"{site}/hama")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["article"]["url"] == f"{site}/hama" and data["article"]["published"] == "2024-12-06"
    assert any(c["place"]["geonameid"] == 170017 for c in data["control_changes"])
    table = run(f"{site}/hama", "--format", "table")
    assert table.exit_code == 0 and "CONTROL CHANGES" in table.stdout


def test_a_feed_url_is_a_corpus_of_its_entries(site: str, pipeline) -> None:  # type: ignore[no-untyped-def]
    result = run(f"{site}/feed.xml", "--engine", "serial", "--no-progress")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1 and lines[0]["article"]["url"] == f"{site}/hama"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    (folder / "more").mkdir(parents=True)
    for i, name in enumerate(("a.json", "more/b.json")):
        (folder / name).write_text(json.dumps({"id": f"r{i}", "published": "2024-12-06", "text": REPORT}))
    (folder / "c.txt").write_text(REPORT)
    (folder / "d.jsonl").write_text(json.dumps({"id": "r3", "text": REPORT}) + "\n")
    (folder / ".hidden.json").write_text("{}")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    return folder


def test_a_folder_of_json_files_is_walked_as_ingest_walks_it(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path)
    ingest_files = [job.origin for job in expand([str(folder)], None).jobs]
    extract_files = [str(p) for p in expand_inputs([str(folder)])]
    assert ingest_files == extract_files and len(extract_files) == 4
    result = run(str(folder), "--engine", "serial", "--no-progress")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4 and all("error" not in line for line in lines)
    assert {line["article"]["id"] for line in lines} >= {"r0", "r1", "r3"}


def test_table_on_a_corpus_is_refused_not_printed_as_json(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"text": REPORT}) + "\n")
    for target in (str(corpus), str(_folder(tmp_path))):
        result = run(target, "--format", "table")
        assert result.exit_code == 2, result.output
        assert "--format table shows one article" in result.stderr
        assert "{" not in result.stdout
