"""How an ingest ends when it is stopped (issue 14, points 5 and 6): killed, its worker processes go
with it; stopped by SIGTERM or Ctrl-C, it says what it finished and exits non-zero."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import STUB

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(120)


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        place = ("Hama", "Aleppo", "Homs")[i % 3]
        (folder / f"{i:03d}.json").write_text(
            json.dumps({"published": "2024-12-06", "text": f"Report {i}: rebels seized {place}."})
        )
    return folder


def _ingest(tmp_path: Path, corpus: Path, *extra: str, delay: str = "0.3") -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "tests"),
        "FRONTLINE_STUB_DELAY": delay,
        "FRONTLINE_DATA_DIR": str(tmp_path),
    }
    args = ["ingest", str(corpus), "--db", str(tmp_path / "s.db"), "--pipeline-factory", STUB]
    return subprocess.Popen(
        [sys.executable, "-c", "from frontline.cli import main; main()", *args, "--no-progress", *extra],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's bookkeeping is left


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _wait_until(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_exit_when_a_killed_ingest_leaves_them(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 60)
    proc = _ingest(tmp_path, corpus, "--engine", "local", "--workers", "2")
    try:
        assert _wait_until(lambda: _stored(tmp_path / "s.db") >= 2, 60), "the ingest never got going"
        children = _children(proc.pid)  # the two workers and multiprocessing's resource tracker
        assert len(children) >= 2, children
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert _wait_until(lambda: not any(_alive(c) for c in children), 10), [
            c for c in children if _alive(c)
        ]
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_ingest_says_what_it_finished_and_exits_non_zero(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    corpus = _corpus(tmp_path / "corpus", 40)
    proc = _ingest(tmp_path, corpus, "--engine", "serial", "--format", "json", delay="0.2")
    try:
        assert _wait_until(lambda: _stored(tmp_path / "s.db") >= 3, 60), "the ingest never got going"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, (out, err)
    summary = json.loads(out)
    stored = _stored(tmp_path / "s.db")
    assert summary["stopped"] == sig.name
    assert summary["new"] == stored and 3 <= stored < 40
    assert summary["not_done"] == 40 - stored
    assert "run the same command again" in err


def test_an_ingest_that_is_not_stopped_exits_zero(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 3)
    proc = _ingest(tmp_path, corpus, "--engine", "serial", "--format", "json", delay="0")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    summary = json.loads(out)
    assert summary["stopped"] is None and summary["not_done"] == 0 and summary["new"] == 3
