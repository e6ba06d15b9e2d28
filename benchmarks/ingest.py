"""Ingest throughput from local files, and what the store costs on disk.

Writes a synthetic corpus of news-length JSON articles to a temporary folder, ingests it with
``frontline.ingest`` and prints articles per second and database size per 1,000 articles.

By default extraction is a synthetic stand-in (three events and one control change an article, drawn
from the text's hash over 300 places), so the figure is the cost of Frontline's own machinery: walking
and reading files, content hashing, storing, full-text indexing and merging reports into events.
``--real`` runs the real pipeline on the local process pool instead (the end-to-end figure, bounded by
the NLP models).

    python benchmarks/ingest.py                    # 2,000 articles into SQLite
    python benchmarks/ingest.py --articles 500 --real
    python benchmarks/ingest.py --db postgresql://...
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from frontline.article import Article
from frontline.engine import get_engine
from frontline.ingest import ingest
from frontline.schema import Actor, Analysis, ArticleInfo, ControlChange, Event, Location, Plover
from frontline.settings import Settings
from frontline.store import open_store

PLACES = [
    Location(
        name=f"Town {i}",
        geonameid=2_000_000 + i,
        lat=33 + (i % 30) * 0.2,
        lon=35 + (i // 30) * 0.2,
        country_code="SY",
        admin1=f"Province {i % 14}",
    )
    for i in range(300)
]
ACTORS = [
    Actor(text="rebels", name="Hayat Tahrir al-Sham", side="rebels"),
    Actor(text="the army", name="Syrian Arab Army", side="government"),
    Actor(text="fighters", name="Syrian National Army", side="rebels"),
]
SUBS = [
    ("Battles", "Armed clash", "ASSAULT"),
    ("Explosions/Remote violence", "Air/drone strike", "ASSAULT"),
    ("Battles", "Non-state actor overtakes territory", "ASSAULT"),
]
WORD_LIST = (
    "the of and to in said forces city on was were after local residents officials reported fighting near "
    "government rebel positions attack convoy village district sources according statement"
)
WORDS = WORD_LIST.split()


def synthetic(article: Article) -> Analysis:
    """Three events and a control change, chosen by the text's hash: the same text, the same analysis."""
    rng = random.Random(int(hashlib.sha256(article.text.encode()).hexdigest()[:12], 16))
    published = article.published or dt.date(2024, 12, 6)
    events, changes = [], []
    sentences = [s for s in article.text.split(". ") if s]
    for n in range(3):
        et, sub, plover = rng.choice(SUBS)
        place = rng.choice(PLACES)
        date = published - dt.timedelta(days=rng.randrange(3))
        sentence = sentences[n % len(sentences)]
        start = article.text.find(sentence)
        events.append(
            Event(
                id=f"e{n + 1}",
                sentence=sentence,
                span=(start, start + len(sentence)),
                event_type=et,
                sub_event_type=sub,
                plover=Plover(event=plover),
                date=date,
                time_precision=1,
                location=place,
                actor1=rng.choice(ACTORS),
                actor2=rng.choice(ACTORS),
                fatalities=rng.choice([None, 0, 2, 5, 11]),
                confidence=0.7,
            )
        )
        if sub == "Non-state actor overtakes territory" and not changes:
            changes.append(
                ControlChange(
                    place=place,
                    date=date,
                    time_precision=1,
                    to=events[-1].actor1 or ACTORS[0],
                    status=rng.choice(["confirmed", "claimed"]),
                    event_ids=[f"e{n + 1}"],
                )
            )
    return Analysis(
        article=ArticleInfo(id=article.id, published=article.published, source=article.source),
        events=events,
        control_changes=changes,
    )


def build(settings: Any = None) -> Any:
    """Pipeline factory for the engines: ``__main__:build`` when this file runs as a script."""
    return synthetic


def write_corpus(folder: Path, n: int, seed: int = 3) -> int:
    rng = random.Random(seed)
    total = 0
    for i in range(n):
        paragraphs = []
        for _ in range(6):  # news paragraphs: a few sentences of 12 to 30 words
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30))).capitalize() + "."
                for _ in range(rng.randint(2, 4))
            ]
            paragraphs.append(" ".join(sentences))
        doc = {
            "title": f"Report {i}",
            "published": f"2024-12-{1 + i % 28:02d}",
            "source": f"Outlet {i % 40}",
            "url": f"https://news.example.org/{i}",
            "text": f"Report {i}. " + "\n".join(paragraphs),
        }
        data = json.dumps(doc)
        (folder / f"{i:06d}.json").write_text(data)
        total += len(data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--db", help="database (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--real", action="store_true", help="the real extraction pipeline (local engine)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        corpus_bytes = write_corpus(corpus, args.articles)
        url = args.db or str(Path(tmp) / "bench.db")
        # The real pipeline needs the user's gazetteer index (in the default data directory); the
        # synthetic one needs nothing, so it runs in the temporary folder.
        settings = Settings(db=url) if args.real else Settings(data_dir=Path(tmp), db=url)
        store = open_store(url)
        if args.real:
            engine = get_engine("local", settings=settings, workers=args.workers)
        else:
            engine = get_engine("serial", settings=settings, pipeline_factory="__main__:build")
        with engine:
            t = time.perf_counter()
            summary = ingest([str(corpus)], store, engine, settings=settings)
            seconds = time.perf_counter() - t
            t = time.perf_counter()
            again = ingest([str(corpus)], store, engine, settings=settings)
            rerun_seconds = time.perf_counter() - t
        if store.backend == "sqlite":
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # count the pages, not a pending log
        stats = store.stats()
        store.close()

    size = stats.size_bytes or 0
    figures = {
        "backend": stats.backend,
        "pipeline": "real" if args.real else "synthetic",
        "articles": summary.new,
        "failed": len(summary.failed),
        "seconds": round(seconds, 2),
        "articles_per_second": round(summary.new / seconds, 1) if seconds else None,
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_unchanged": again.unchanged,
        "corpus_bytes_per_1000": int(corpus_bytes / args.articles * 1000),
        "db_bytes_per_1000_articles": int(size / max(1, stats.articles) * 1000),
        "reports": stats.reports,
        "events": stats.events,
        "control_changes": stats.control_changes,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{figures['backend']}, {figures['pipeline']} extraction: {summary.new:,} articles "
        f"in {seconds:.1f} s "
        f"= {figures['articles_per_second']} articles/s; re-run (all unchanged) {rerun_seconds:.1f} s"
    )
    print(
        f"  database: {size / 1e6:.1f} MB = {figures['db_bytes_per_1000_articles'] / 1e6:.2f} MB per 1,000 "
        f"articles (the articles themselves: {figures['corpus_bytes_per_1000'] / 1e6:.2f} MB per 1,000)"
    )
    print(
        f"  {stats.reports:,} reports merged into {stats.events:,} events; {stats.control_changes:,} control "
        "changes"
    )


if __name__ == "__main__":
    main()
