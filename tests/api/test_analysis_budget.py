"""Analysis within a time budget, off the server's event loop, and stopped by SIGTERM (issue 14, point 1).

A 4.5 MB article used to keep `POST /api/analyse` busy for more than ten minutes in the server's own
process: other requests starved and a graceful shutdown waited for it. The pipeline now runs in a child
process that is killed at ``analyse_timeout`` or at shutdown; these tests use a stand-in pipeline that
burns CPU on request ("SPIN 30") so they take seconds, not the real parse's minutes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from frontline.api import create_app
from frontline.settings import Settings
from frontline.store import Store

from .conftest import BASE, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
FACTORY = "api.factories:spinning"
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(120)


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def budget_client(fresh_store: Store):  # type: ignore[no-untyped-def]
    settings = Settings(api_token=TOKEN, analyse_timeout=3, pipeline_factory=FACTORY)
    app = create_app(settings, fresh_store)
    with TestClient(app, base_url=BASE) as client:
        yield client


def test_an_analysis_over_budget_is_stopped_and_the_next_one_runs(budget_client: TestClient) -> None:
    warm = budget_client.post("/api/analyse", json={"text": "Rebels attacked Hama."}, headers=AUTH)
    assert warm.status_code == 200 and len(warm.json()["events"]) == 1  # the child is up
    analyser = budget_client.app.state.frontline.analyser  # type: ignore[attr-defined]
    child = analyser.pid
    assert _alive(child)

    started = time.monotonic()
    slow = budget_client.post("/api/analyse", json={"text": "SPIN 60 in Hama."}, headers=AUTH)
    took = time.monotonic() - started
    assert slow.status_code == 503, slow.text
    assert "3 s budget" in slow.json()["detail"] and "FRONTLINE_ANALYSE_TIMEOUT" in slow.json()["detail"]
    assert took < 15, f"stopped after {took:.1f} s, not at the 3 s budget"
    for _ in range(50):  # the child that ran over is killed, not left spinning
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)

    again = budget_client.post("/api/articles", json={"text": "Fighting hit Hama."}, headers=AUTH)
    assert again.status_code == 201, again.text  # a fresh child serves the next request


def test_a_crashed_analysis_is_an_error_and_the_server_goes_on(budget_client: TestClient) -> None:
    crashed = budget_client.post("/api/analyse", json={"text": "CRASH in Hama."}, headers=AUTH)
    assert crashed.status_code == 500 and "ExtractionError" in crashed.json()["detail"]
    fine = budget_client.post("/api/analyse", json={"text": "Rebels attacked Hama."}, headers=AUTH)
    assert fine.status_code == 200


def test_an_injected_pipeline_gets_the_budget_too(fresh_store: Store) -> None:
    def slow(article):  # type: ignore[no-untyped-def]
        time.sleep(5)
        raise AssertionError("the request should not have waited for this")

    app = create_app(Settings(api_token=TOKEN, analyse_timeout=0.5), fresh_store, pipeline=slow)
    client = TestClient(app, base_url=BASE)
    started = time.monotonic()
    r = client.post("/api/analyse", json={"text": "Rebels attacked Hama."}, headers=AUTH)
    assert r.status_code == 503 and time.monotonic() - started < 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_the_server_answers_while_an_analysis_runs_and_sigterm_stops_both(tmp_path: Path) -> None:
    db = tmp_path / "serve.db"
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "tests"),
        "FRONTLINE_API_TOKEN": TOKEN,
        "FRONTLINE_PIPELINE_FACTORY": FACTORY,
        "FRONTLINE_ANALYSE_TIMEOUT": "600",
        "FRONTLINE_DATA_DIR": str(tmp_path),
    }
    cli = [sys.executable, "-c", "from frontline.cli import main; main()"]
    subprocess.run([*cli, "db", "init", "--db", str(db)], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*cli, "serve", "--db", str(db), "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    answer: dict[str, object] = {}
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=30) as c:  # load the analysis process first
            assert c.post("/api/analyse", json={"text": "Hama."}, headers=AUTH).status_code == 200

        def long_analysis() -> None:
            try:
                r = httpx.post(
                    f"{base}/api/analyse", json={"text": "SPIN 300 Hama."}, headers=AUTH, timeout=120
                )
                answer["status"], answer["detail"] = r.status_code, r.json().get("detail")
            except httpx.HTTPError as exc:
                answer["error"] = repr(exc)

        worker = threading.Thread(target=long_analysis, daemon=True)
        worker.start()
        time.sleep(1.5)  # the analysis is under way, burning its CPU
        children = [c for c in _children(server.pid) if _alive(c)]
        assert children, "the analysis runs in a child process"
        for _ in range(10):  # meanwhile the server answers at once
            started = time.monotonic()
            r = httpx.get(f"{base}/api/meta", timeout=5)
            assert r.status_code == 200 and time.monotonic() - started < 2

        stopped = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        assert time.monotonic() - stopped < 10, "SIGTERM stopped the server promptly"
        worker.join(10)
        assert answer.get("status") == 503 and "shutting down" in str(answer.get("detail")), answer
        for _ in range(50):
            if not any(_alive(c) for c in children):
                break
            time.sleep(0.1)
        assert not any(_alive(c) for c in children), "the analysis process went with the server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out
