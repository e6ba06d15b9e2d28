"""extract_batch: JSONL and Parquet corpora in, JSONL or a partitioned Parquet dataset out."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from engine_factories import make_articles

from frontline.article import article_to_json
from frontline.engine.base import SerialEngine
from frontline.engine.batch import BatchSummary, expand_inputs, extract_batch
from frontline.engine.local import LocalEngine
from frontline.errors import ConfigError, InputError
from frontline.io_parquet import MANIFEST
from frontline.settings import Settings

FAKE = "engine_factories:fake_pipeline"

pytestmark = pytest.mark.timeout(120)


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corpus_lines(n: int, **kw: dict) -> list[str]:
    return [json.dumps(article_to_json(a)) for a in make_articles(n, **kw)]


def test_jsonl_in_jsonl_out_in_input_order_with_failures_in_place(tmp_path: Path, settings: Settings) -> None:
    lines = corpus_lines(12, plant={8: "FAIL"})
    lines.insert(5, "{not json")
    lines.insert(9, json.dumps({"id": "no-text", "title": "x"}))
    src = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=2) as engine:
        summary = extract_batch([str(src)], str(out), engine=engine)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 14
    ids = [r["article"]["id"] if "article" in r else r["id"] for r in rows]
    expected = [f"a{i:04d}" for i in range(12)]
    expected.insert(5, None)
    expected.insert(9, "no-text")
    assert ids == expected
    errors = {i: r["error"] for i, r in enumerate(rows) if "error" in r}
    assert set(errors) == {5, 9, 10}  # the malformed line, the line without text, the planted failure
    assert "line 6" in errors[5] and "malformed JSON" in errors[5]
    assert "'text'" in errors[9]
    assert "planted failure" in errors[10]
    assert (summary.done, summary.failed) == (11, 3)
    assert summary.rate > 0
    assert rows[0]["schema"] == "frontline.extract/1" and rows[0]["events"]
    assert not list(tmp_path.glob(".out.jsonl.tmp-*"))  # the temporary file was renamed into place


def test_parquet_in_and_partitioned_dataset_out(tmp_path: Path, settings: Settings) -> None:
    articles = make_articles(30, plant={11: "FAIL"})
    table = pa.Table.from_pylist(
        [{"id": a.id, "title": a.title, "published": a.published, "text": a.text} for a in articles]
    )
    pq.write_table(table, tmp_path / "corpus.parquet")
    out = tmp_path / "dataset"
    summary = extract_batch(
        [str(tmp_path / "corpus.parquet")],
        str(out),
        out_format="parquet",
        engine=SerialEngine(settings, pipeline_factory=FAKE),
    )
    assert (summary.done, summary.failed) == (29, 1)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["partition_by"] == "month" and manifest["rows"]["articles"] == 30

    hive = ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive")
    arts = ds.dataset(out / "articles", format="parquet", partitioning=hive).to_table().to_pylist()
    assert sorted(r["id"] for r in arts) == [a.id for a in articles]
    failed = [r for r in arts if r["error"]]
    assert [r["id"] for r in failed] == ["a0011"] and failed[0]["analysis"] is None
    ok = next(r for r in arts if r["id"] == "a0000")
    assert json.loads(ok["analysis"])["article"]["id"] == "a0000"
    assert ok["month"] == "2024-01"

    events = ds.dataset(out / "events", format="parquet", partitioning=hive).to_table()
    rows = events.to_pylist()
    assert len(rows) == sum(r["n_events"] or 0 for r in arts) > 0
    # Each event sits in the partition of the month it happened, which is what a DuckDB user filters on.
    assert all(r["month"] == r["date"].strftime("%Y-%m") for r in rows)
    assert {r["location_name"] for r in rows} <= {"Hama", "Aleppo", "Bakhmut", "Goma"}
    assert all(r["country_code"] and r["geonameid"] for r in rows)
    dirs = sorted(p.name for p in (out / "events").iterdir())
    assert dirs[0] == "month=2023-11" and all(d.startswith("month=") for d in dirs)
    december = events.filter(ds.field("month") == "2024-02")
    assert december.num_rows == sum(1 for r in rows if r["date"].strftime("%Y-%m") == "2024-02")
    # Tables with no rows still have a file, so a query over them returns nothing rather than failing.
    assert pq.read_table(out / "quotes").num_rows == 0


def test_dataset_output_replaces_its_own_but_never_a_foreign_folder(
    tmp_path: Path, settings: Settings
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus_lines(4))
    out = tmp_path / "dataset"
    engine = SerialEngine(settings, pipeline_factory=FAKE)
    extract_batch([str(src)], str(out), out_format="parquet", engine=engine, partition_by=None)
    first = sorted(p.name for p in (out / "articles").iterdir())
    extract_batch([str(src)], str(out), out_format="parquet", engine=engine, partition_by=None)
    assert sorted(p.name for p in (out / "articles").iterdir()) == first  # replaced, not appended to
    assert ds.dataset(out / "articles").count_rows() == 4
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ConfigError, match="not a Frontline Parquet dataset"):
        extract_batch([str(src)], str(foreign), out_format="parquet", engine=engine)
    assert (foreign / "cat.jpg").exists()
    assert not list(tmp_path.glob(".photos.tmp-*"))


def test_failed_run_leaves_no_output(tmp_path: Path, settings: Settings) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus_lines(3))
    out = tmp_path / "out.jsonl"
    with pytest.raises(ConfigError, match="pipeline factory"):
        extract_batch([str(src)], str(out), engine=SerialEngine(settings, pipeline_factory="nope:f"))
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl*"))


def test_inputs_from_folders_and_globs_in_stable_order(tmp_path: Path, settings: Settings) -> None:
    lines = corpus_lines(6)
    (tmp_path / "b").mkdir()
    write_jsonl(tmp_path / "b" / "2.jsonl", lines[3:])
    write_jsonl(tmp_path / "b" / "1.jsonl", lines[:3])
    (tmp_path / "b" / ".hidden.jsonl").write_text("skipped: hidden files are not articles")
    (tmp_path / "b" / "photo.jpg").write_bytes(b"\xff\xd8")
    # the same folder rules as ingest's: article files, in name order; hidden and other files skipped
    assert [p.name for p in expand_inputs([str(tmp_path / "b")])] == ["1.jsonl", "2.jsonl"]  # type: ignore
    assert len(expand_inputs([str(tmp_path / "b" / "*.jsonl")])) == 2
    with pytest.raises(InputError, match="no file matches"):
        expand_inputs([str(tmp_path / "*.parquet")])
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.jsonl")])
    out = tmp_path / "out.jsonl"
    engine = SerialEngine(settings, pipeline_factory=FAKE)
    summary = extract_batch([str(tmp_path / "b")], str(out), engine=engine)
    assert summary.done == 6
    assert [json.loads(x)["article"]["id"] for x in out.read_text().splitlines()] == [
        f"a{i:04d}" for i in range(6)
    ]


def test_options_are_checked_before_any_work(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus_lines(1))
    with pytest.raises(ConfigError, match="give --output"):
        extract_batch([str(src)], None, out_format="parquet", engine="serial")
    with pytest.raises(ConfigError, match="partition_by"):
        extract_batch(
            [str(src)], str(tmp_path / "o"), out_format="parquet", partition_by="week", engine="serial"
        )
    assert str(BatchSummary(10, 2, 4.0)) == "10 done, 2 failed in 4.0 s (3.0 articles/s)"
