"""The local process-pool engine: same results as in-process, order kept, crashes survived."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from engine_factories import loads, make_articles

from frontline.article import Article
from frontline.engine import get_engine
from frontline.engine.base import SerialEngine
from frontline.engine.local import LocalEngine
from frontline.engine.scheduler import DIED_TWICE
from frontline.errors import ConfigError, EngineError
from frontline.settings import Settings

FAKE = "engine_factories:fake_pipeline"

pytestmark = pytest.mark.timeout(120)


def results(outcomes: Iterator) -> list[tuple[str, str | None, str | None]]:
    return [(o.article.id, o.analysis.to_json() if o.analysis else None, o.error) for o in outcomes]


def test_pool_matches_serial_in_order_and_loads_once_per_worker(settings: Settings) -> None:
    articles = make_articles(60)
    with SerialEngine(settings, pipeline_factory=FAKE) as serial:
        expected = results(serial.analyse(articles))
    serial_loads = len(loads(settings))
    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=4) as engine:
        got = results(engine.analyse(articles))
    assert got == expected
    assert [r[0] for r in got] == [a.id for a in articles]
    assert all(r[1] is not None and r[2] is None for r in got)
    pool_loads = loads(settings)[serial_loads:]
    # 15 chunks over 2 processes: the pipeline was built once in each, never per chunk or per article.
    assert len(pool_loads) == len(set(pool_loads)) <= 2
    # Memory is reported by the processes that did the work (a fast fake may keep one of them idle).
    assert set(engine.stats.peak_rss) and set(engine.stats.peak_rss) <= {int(p) for p in pool_loads}
    assert engine.stats.max_peak_rss > 10_000_000


def test_failing_article_is_recorded_and_the_rest_go_on(settings: Settings) -> None:
    articles = make_articles(20, plant={3: "FAIL", 17: "FAIL"})
    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=3) as engine:
        outcomes = list(engine.analyse(articles))
    failed = {o.article.id: o.error for o in outcomes if not o.ok}
    assert set(failed) == {"a0003", "a0017"}
    assert all("planted failure" in (e or "") for e in failed.values())
    assert sum(o.ok for o in outcomes) == 18


def test_worker_killed_mid_batch_loses_and_doubles_nothing(settings: Settings) -> None:
    articles = make_articles(40, plant={13: "CRASH_ONCE", 29: "CRASH_ONCE"})
    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=4) as engine:
        outcomes = list(engine.analyse(articles))
    assert [o.article.id for o in outcomes] == [a.id for a in articles]  # each exactly once, in order
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    # Both planted articles really killed a worker (their markers exist) and the pool was rebuilt.
    assert len(list(settings.data_dir.glob("crashed-*"))) == 2
    assert len(loads(settings)) > 2


def test_article_caught_in_another_crash_before_it_ran_still_gets_its_retry(settings: Settings) -> None:
    # One worker, three single-article chunks in flight: article 0 kills the worker while 1 and 2 wait,
    # so 1 has never run when it becomes a suspect. Its own first crash, alone, must not be its last.
    articles = make_articles(3, plant={0: "CRASH_ONCE", 1: "CRASH_ONCE"})
    with LocalEngine(settings, workers=1, pipeline_factory=FAKE, chunk_size=1, max_in_flight=3) as engine:
        outcomes = list(engine.analyse(articles))
    assert [(o.article.id, o.error) for o in outcomes] == [("a0000", None), ("a0001", None), ("a0002", None)]
    assert len(list(settings.data_dir.glob("crashed-*"))) == 2


def test_article_that_always_kills_its_worker_fails_alone(settings: Settings) -> None:
    articles = make_articles(24, plant={10: "CRASH_ALWAYS"})
    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=4) as engine:
        outcomes = list(engine.analyse(articles))
    assert [o.article.id for o in outcomes] == [a.id for a in articles]
    failed = [o for o in outcomes if not o.ok]
    # Its chunk-mates, and the chunks running beside it, were retried and succeeded.
    assert [o.article.id for o in failed] == ["a0010"]
    assert failed[0].error == DIED_TWICE
    # The engine is still usable after the crashes.
    assert all(o.ok for o in engine.analyse(make_articles(5)))


@pytest.mark.parametrize("slow_head", [False, True], ids=["even", "slow-first-article"])
def test_input_is_consumed_lazily_with_bounded_work_in_flight(settings: Settings, slow_head: bool) -> None:
    pulled = 0

    def endless() -> Iterator[Article]:
        nonlocal pulled
        for article in make_articles(400, plant={0: "SLOW"} if slow_head else None):
            pulled += 1
            yield article

    with LocalEngine(settings, workers=2, pipeline_factory=FAKE, chunk_size=5) as engine:
        bound = 2 * engine.chunk_size * engine.max_in_flight
        for seen, _ in enumerate(engine.analyse(endless()), 1):
            # Never more than the bound between input and output, even while a slow first article holds
            # back everything finished after it.
            assert pulled - seen <= bound
            if seen == 100:
                break
    assert pulled < 400


def test_pipeline_that_cannot_load_is_an_engine_error(settings: Settings) -> None:
    with (
        LocalEngine(settings, workers=1, pipeline_factory="engine_factories:broken_pipeline") as engine,
        pytest.raises(EngineError, match=r"gazetteer\.sqlite is missing"),
    ):
        list(engine.analyse(make_articles(3)))


def test_workers_that_die_as_they_start_are_an_engine_error_not_failed_articles(settings: Settings) -> None:
    with (
        LocalEngine(settings, workers=2, pipeline_factory="engine_factories:exiting_pipeline") as engine,
        pytest.raises(EngineError, match="worker processes exit as they start"),
    ):
        list(engine.analyse(make_articles(6)))


def test_get_engine_choices(settings: Settings) -> None:
    engine = get_engine("local", settings=settings, workers=2)
    assert isinstance(engine, LocalEngine) and engine.workers == 2
    engine.close()
    assert get_engine(settings=Settings(data_dir=settings.data_dir, engine="serial")).name == "serial"
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        get_engine("spark")
    with pytest.raises(ConfigError, match="workers must be at least 1"):
        get_engine("local", workers=0)
    with pytest.raises(ConfigError, match="pipeline factory"):
        list(SerialEngine(pipeline_factory="no_such_module:f").analyse(make_articles(1)))


def test_ray_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail as if not installed
    with pytest.raises(ConfigError, match=r"pip install 'frontline\[ray\]'"):
        get_engine("ray")
