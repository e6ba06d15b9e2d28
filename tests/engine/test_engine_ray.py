"""The ray engine on a local Ray instance: the same results as the local engine, and crashes survived.

Ray takes a few seconds to start, so one instance serves the whole module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_factories import loads, make_articles, make_reports

from frontline.engine import get_engine
from frontline.engine.local import LocalEngine
from frontline.engine.scheduler import DIED_TWICE
from frontline.errors import ConfigError, EngineError
from frontline.settings import Settings

ray = pytest.importorskip("ray")

FAKE = "engine_factories:fake_pipeline"
HERE = Path(__file__).parent

pytestmark = [pytest.mark.ray, pytest.mark.timeout(180)]


@pytest.fixture(scope="module", autouse=True)
def ray_instance() -> Iterator[None]:
    # Workers must import the test factories and the source tree the tests run against.
    path = os.pathsep.join([str(HERE), str(HERE.parents[1] / "src"), os.environ.get("PYTHONPATH", "")])
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=100 * 2**20,
        runtime_env={"env_vars": {"PYTHONPATH": path}},
    )
    yield
    ray.shutdown()


def results(outcomes: Iterator) -> list[tuple[str, str | None, str | None]]:
    return [(o.article.id, o.analysis.to_json() if o.analysis else None, o.error) for o in outcomes]


def test_ray_and_local_engines_give_identical_results(settings: Settings) -> None:
    articles = make_articles(50, plant={7: "FAIL"})
    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=4) as local:
        expected = results(local.analyse(articles))
    with get_engine("ray", settings=settings, workers=2, pipeline_factory=FAKE) as engine:
        got = results(engine.analyse(articles))
    assert got == expected
    assert [r[0] for r in got] == [a.id for a in articles]
    assert [r[0] for r in got if r[2]] == ["a0007"]


def test_ray_and_local_give_identical_results_with_the_real_pipeline() -> None:
    settings = Settings()  # the real gazetteer, where `frontline gazetteer build` put it
    if not settings.gazetteer_file().exists():
        pytest.skip("no gazetteer index; run `frontline gazetteer build`")
    articles = make_reports()
    with LocalEngine(settings, workers=2) as local:
        expected = results(local.analyse(articles))
    with get_engine("ray", settings=settings, workers=2) as engine:
        got = results(engine.analyse(articles))
    assert got == expected
    assert all(error is None for _, _, error in got)
    hama = json.loads(got[0][1])
    # A real analysis, not an empty shell: the capture of Hama, dated by "on Thursday".
    assert any(
        e["location"] and e["location"]["geonameid"] == 170017 and e["date"] == "2024-12-05"
        for e in hama["events"]
    )


def test_killed_ray_worker_loses_and_doubles_nothing(settings: Settings) -> None:
    articles = make_articles(30, plant={5: "CRASH_ONCE", 22: "CRASH_ONCE"})
    with get_engine("ray", settings=settings, workers=2, pipeline_factory=FAKE) as engine:
        outcomes = list(engine.analyse(articles))
    assert [o.article.id for o in outcomes] == [a.id for a in articles]  # each exactly once, in order
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert len(list(settings.data_dir.glob("crashed-*"))) == 2  # both really killed their actor
    assert len(loads(settings)) >= 3  # and Ray restarted it, loading the pipeline again


def test_article_that_always_kills_its_ray_worker_fails_alone(settings: Settings) -> None:
    articles = make_articles(12, plant={4: "CRASH_ALWAYS"})
    with get_engine("ray", settings=settings, workers=2, pipeline_factory=FAKE) as engine:
        outcomes = list(engine.analyse(articles))
    assert [o.article.id for o in outcomes] == [a.id for a in articles]
    assert [(o.article.id, o.error) for o in outcomes if not o.ok] == [("a0004", DIED_TWICE)]


def test_more_workers_than_cluster_cpus_is_refused(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="cluster has 2 CPUs"):
        get_engine("ray", settings=settings, workers=3, pipeline_factory=FAKE)


def test_pipeline_that_cannot_load_on_ray_is_an_engine_error(settings: Settings) -> None:
    with (
        get_engine(
            "ray", settings=settings, workers=1, pipeline_factory="engine_factories:broken_pipeline"
        ) as engine,
        pytest.raises(EngineError, match=r"gazetteer\.sqlite is missing"),
    ):
        list(engine.analyse(make_articles(2)))
