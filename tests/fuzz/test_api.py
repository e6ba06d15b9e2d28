"""Schemathesis over the API's own OpenAPI document, against a real server on loopback (issue 14):
every operation, with generated valid and invalid parameters and bodies, must answer without a server
error, with a response its schema describes. Bounded by FUZZ_API_EXAMPLES per operation."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from api.conftest import TOKEN, stand_in_pipeline
from api.seed import seed
from frontline.api import create_app
from frontline.settings import Settings
from frontline.store import open_store

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "30"))
AUTH = {"Authorization": f"Bearer {TOKEN}"}

pytestmark = pytest.mark.timeout(600)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a seeded store, served by uvicorn on 127.0.0.1 in a thread of this process."""
    folder = tmp_path_factory.mktemp("fuzz")
    seeded = folder / "seeded.db"
    store = open_store(str(seeded))
    seed(store)
    store.close()
    shutil.copy(seeded, folder / "fuzz.db")  # writes by the fuzzer go to a copy
    store = open_store(str(folder / "fuzz.db"))
    app = create_app(Settings(api_token=TOKEN), store, pipeline=stand_in_pipeline)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base
    srv.should_exit = True
    thread.join(10)
    store.close()


def _cases() -> list[tuple[str, GenerationMode]]:
    """(operation label, mode) for every operation of the OpenAPI document: valid data for all, invalid
    data for those that take any parameter or body (there is nothing to get wrong in the others)."""
    app = create_app(Settings(), pipeline=stand_in_pipeline)
    spec = schemathesis.openapi.from_dict(app.openapi())
    out = []
    for result in spec.get_all_operations():
        op = result.ok()
        out.append((op.label, GenerationMode.POSITIVE))
        if list(op.iter_parameters()) or op.body:
            out.append((op.label, GenerationMode.NEGATIVE))
    return out


@pytest.mark.parametrize(("label", "mode"), _cases(), ids=lambda v: getattr(v, "value", v))
def test_every_operation_answers_without_a_server_error(server: str, label: str, mode) -> None:  # type: ignore[no-untyped-def]
    from schemathesis.checks import not_a_server_error, response_schema_conformance

    # The document as the running server serves it, fetched over loopback.
    spec = schemathesis.openapi.from_url(f"{server}/api/openapi.json")
    operation = next(r.ok() for r in spec.get_all_operations() if r.ok().label == label)
    session = requests.Session()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(base_url=server, session=session, headers=AUTH)
        checks = [not_a_server_error]
        if mode == GenerationMode.POSITIVE and response.status_code < 400:
            checks.append(response_schema_conformance)
        case.validate_response(response, checks=checks)
        assert "traceback" not in response.text.lower()

    run()
