"""Throughput and memory of ``extract`` over a corpus of news-length articles, on both cores.

    .venv/bin/python benchmarks/extract_throughput.py                 # 500 articles, 2 workers, vs spaCy
    .venv/bin/python benchmarks/extract_throughput.py -n 100 --no-spacy
    .venv/bin/python benchmarks/extract_throughput.py --profile 40    # where the time goes, in-process

Prints, for Frontline's local engine: time to the first result, articles/s end to end (start-up included)
and steady (first result to last), and peak resident memory of the driver and of each worker. Then the
same corpus through bare spaCy (``nlp.pipe`` with the same model, ``n_process`` = workers), and
Frontline's throughput as a ratio to it. Targets (issue 2): >= 10 articles/s on 2 cores, < 1.5 GB peak,
first result within 3 s, ratio >= 0.5.

The corpus is synthetic and deterministic (``make_corpus(n, seed)``): conflict reporting recombined from
sentence templates written for this benchmark, with real places, actors and dates varied per article,
500-800 words each. No external data is read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

# --- the corpus ------------------------------------------------------------------------------------

# Per theatre: (country, demonym, places, attackers, defenders, officials)
THEATRES = [
    (
        "Syria",
        "Syrian",
        ["Hama", "Aleppo", "Homs", "Idlib", "Deir ez-Zor", "Raqqa", "Daraa", "Latakia"],
        ["Hayat Tahrir al-Sham", "Turkish-backed factions", "Islamic State fighters", "opposition fighters"],
        ["the Syrian army", "government forces", "the Syrian Democratic Forces", "pro-government militias"],
        [
            "a spokesman for the Syrian Defence Ministry",
            "a commander of the opposition's operations room",
            "the Syrian Observatory for Human Rights",
        ],
    ),
    (
        "Ukraine",
        "Ukrainian",
        ["Bakhmut", "Avdiivka", "Kharkiv", "Kherson", "Pokrovsk", "Zaporizhzhia", "Kupiansk", "Toretsk"],
        ["Russian forces", "Russian airborne units", "Wagner Group fighters", "Russian assault groups"],
        ["Ukrainian troops", "the Ukrainian army", "Ukraine's 93rd Brigade", "Ukrainian border guards"],
        [
            "Ukraine's General Staff",
            "the Russian Defence Ministry",
            "a spokesman for Ukraine's eastern command",
        ],
    ),
    (
        "Sudan",
        "Sudanese",
        ["El Fasher", "Khartoum", "Omdurman", "Wad Madani", "Nyala", "El Obeid", "Sennar", "Geneina"],
        ["the Rapid Support Forces", "RSF fighters", "allied Arab militias", "the paramilitary RSF"],
        ["the Sudanese Armed Forces", "the Sudanese army", "army-aligned volunteers", "joint forces"],
        ["a spokesman for the Sudanese army", "the RSF's media office", "local resistance committees"],
    ),
    (
        "Congo",
        "Congolese",
        ["Goma", "Bukavu", "Sake", "Rutshuru", "Bunagana", "Beni", "Butembo", "Uvira"],
        ["M23 rebels", "the M23", "Allied Democratic Forces militants", "CODECO militiamen"],
        ["the Congolese army", "FARDC soldiers", "Wazalendo militias", "UN peacekeepers"],
        ["the governor of North Kivu", "an M23 spokesman", "the UN mission in Congo"],
    ),
    (
        "Mali",
        "Malian",
        ["Kidal", "Gao", "Timbuktu", "Mopti", "Menaka", "Tessalit", "Segou", "Kayes"],
        ["JNIM militants", "al-Qaeda-linked fighters", "Tuareg separatists", "Islamic State Sahel fighters"],
        ["the Malian army", "Malian soldiers", "Russian mercenaries", "government troops"],
        ["the Malian army's communications office", "a local official in Gao", "a separatist spokesman"],
    ),
    (
        "Myanmar",
        "Burmese",
        ["Lashio", "Myawaddy", "Laukkaing", "Sittwe", "Mandalay", "Bhamo", "Hsipaw", "Kyaukme"],
        [
            "the Three Brotherhood Alliance",
            "the Arakan Army",
            "resistance fighters",
            "the Kachin Independence Army",
        ],
        ["the military junta", "junta troops", "the Myanmar army", "regime forces"],
        ["a junta spokesman", "a spokesperson for the alliance", "residents reached by phone"],
    ),
    (
        "Yemen",
        "Yemeni",
        ["Marib", "Hodeidah", "Taiz", "Aden", "Sanaa", "Shabwa", "Mokha", "Hajjah"],
        ["Houthi fighters", "the Houthis", "Ansar Allah forces", "southern separatists"],
        ["government forces", "Saudi-backed troops", "tribal fighters", "the Giants Brigades"],
        ["a government military spokesman", "the Houthi-run Saba news agency", "a tribal leader"],
    ),
    (
        "Somalia",
        "Somali",
        ["Mogadishu", "Beledweyne", "Kismayo", "Baidoa", "Jowhar", "Galkayo", "Bosaso", "Dhusamareb"],
        ["al-Shabaab militants", "al-Shabaab", "clan militias", "Islamic State fighters"],
        ["Somali troops", "the Somali National Army", "African Union forces", "Puntland security forces"],
        ["a Somali military officer", "the information ministry", "a police spokesman"],
    ),
]

WEAPONS = ["artillery", "drones", "mortar rounds", "rockets", "heavy machine guns", "tanks", "airstrikes"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

LEADS = [
    "{attacker} seized control of {place} on {when}, {official} said, in the biggest advance in the "
    "region for months.",
    "{attacker} launched a major offensive on {place} {when}, pushing {defender} back from several villages "
    "on its outskirts.",
    "Heavy fighting broke out between {attacker} and {defender} in {place} {when}, residents said.",
    "{defender} withdrew from {place} {when} after days of fighting with {attacker}, according to "
    "{official}.",
    "At least {n} people were killed when {attacker} shelled a market in {place} {when}, {official} said.",
]
DETAILS = [
    "Witnesses described {weapon} striking residential districts of {place} through the night.",
    "{attacker} said they had captured a military base on the road between {place} and {place2}.",
    "{official} said {defender} had repelled an attack near {place2} and inflicted heavy losses.",
    "Fighting also spread to villages south of {place2}, where {defender} had dug in.",
    "The road linking {place} to {place2} was cut {when}, leaving thousands stranded.",
    "{defender} said they had retaken two neighbourhoods in the east of {place} on {weekday}.",
    "A convoy carrying reinforcements for {defender} was hit by {weapon} near {place2}.",
    "{attacker} claimed to have shot down a helicopter over {place}, a claim {defender} denied.",
    "Local hospitals in {place} said they had received {n} wounded since {weekday}.",
    "Satellite images showed fires burning at an ammunition depot outside {place2}.",
    "{defender} deployed {weapon} along the front line north of {place}.",
    "Residents of {place2} said {attacker} had set up checkpoints at the main entrances to the town.",
    "{attacker} abducted {n} civilians from a village near {place2}, a rights group said.",
    "Protesters gathered in {capital} on {weekday} to demand an end to the fighting in {place}.",
    "Police arrested {n} people in {place2} accused of collaborating with {attacker}.",
]
QUOTES = [
    "\u201cThe situation in {place} is catastrophic,\u201d said {official}. \u201cPeople are trapped and "
    "there is no safe way out.\u201d",
    "\u201cWe will not allow {attacker} to hold {place},\u201d {official} told reporters in {capital}.",
    "\u201cOur forces have full control of {place} and are securing the surrounding villages,\u201d a "
    "statement from {official} said.",
    "\u201cThis is a turning point in the war,\u201d said an analyst who follows the conflict in {country}. "
    "\u201cLosing {place} would isolate {defender} in the north.\u201d",
]
BACKGROUND = [
    "{place} has changed hands several times since the conflict began in {year}.",
    "The {demonym} government has struggled to hold territory in the area since {year}.",
    "The last major battle for {place} took place in {year}, when thousands of people fled.",
    "Aid agencies say more than {big} people have been displaced in {country} this year alone.",
    "Talks between the warring parties, mediated in {capital}, collapsed last month.",
    "{attacker} have threatened to advance on {place2} if {defender} do not withdraw.",
    "A ceasefire agreed in {month} was broken within days, each side accusing the other.",
    "The United Nations said it was alarmed by reports of civilian casualties in and around {place}.",
    "Humanitarian workers said food and fuel were running short in {place2}.",
    "{defender} had not lost a city of this size since {year}.",
]
CAPITALS = {
    "Syria": "Damascus",
    "Ukraine": "Kyiv",
    "Sudan": "Port Sudan",
    "Congo": "Kinshasa",
    "Mali": "Bamako",
    "Myanmar": "Naypyidaw",
    "Yemen": "Aden",
    "Somalia": "Mogadishu",
}


def _when(rng: random.Random, published: dt.date) -> str:
    roll = rng.random()
    if roll < 0.45:
        return f"on {WEEKDAYS[(published - dt.timedelta(days=rng.randint(1, 6))).weekday()]}"
    if roll < 0.7:
        day = published - dt.timedelta(days=rng.randint(1, 20))
        return f"on {MONTHS[day.month - 1]} {day.day}"
    return rng.choice(["last week", "earlier this month", "overnight", "late on Tuesday", "at dawn"])


def make_article(rng: random.Random, index: int) -> dict:
    country, demonym, places, attackers, defenders, officials = rng.choice(THEATRES)
    published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3400))
    target_words = rng.randint(480, 740)

    def fill(template: str) -> str:
        place, place2 = rng.sample(places, 2)
        return template.format(
            attacker=rng.choice(attackers),
            defender=rng.choice(defenders),
            official=rng.choice(officials),
            place=place,
            place2=place2,
            when=_when(rng, published),
            weekday=rng.choice(WEEKDAYS),
            weapon=rng.choice(WEAPONS),
            n=rng.randint(2, 60),
            big=f"{rng.randint(10, 900) * 1000:,}",
            year=rng.randint(1990, published.year - 1),
            month=rng.choice(MONTHS),
            country=country,
            demonym=demonym,
            capital=CAPITALS[country],
        )

    def sentence(text: str) -> str:
        return text[0].upper() + text[1:]

    used: set[str] = set()

    def pick(pool: list[str]) -> str:
        # Each template at most once an article while the pool lasts, as a reporter would not repeat one.
        fresh = [t for t in pool if t not in used] or pool
        template = rng.choice(fresh)
        used.add(template)
        return sentence(fill(template))

    paragraphs = [pick(LEADS)]
    words = len(paragraphs[0].split())
    pools = [DETAILS, DETAILS, QUOTES, BACKGROUND]
    while words < target_words:
        para = " ".join(pick(rng.choice(pools)) for _ in range(rng.randint(2, 4)))
        paragraphs.append(para)
        words += len(para.split())
    headline = f"{rng.choice(attackers)} and {rng.choice(defenders)} clash in {rng.choice(places)}"
    return {
        "id": f"bench-{index:06d}",
        "title": sentence(headline),
        "published": published.isoformat(),
        "source": "synthetic",
        "text": f"{sentence(headline)}\n\n" + "\n\n".join(paragraphs),
    }


def make_corpus(n: int, seed: int = 2024) -> list[dict]:
    """``n`` articles, the same for the same seed."""
    rng = random.Random(seed)
    return [make_article(rng, i) for i in range(n)]


def write_corpus(path: Path, n: int, seed: int = 2024) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for record in make_corpus(n, seed):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --- measuring -------------------------------------------------------------------------------------


def peak_rss_self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_self_and_children() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_frontline(records: list[dict], workers: int, engine_name: str = "local") -> dict:
    """Frontline over ``records`` with one engine; returns the figures."""
    from frontline.article import from_mapping
    from frontline.engine import get_engine

    articles = [from_mapping(r, name="bench") for r in records]
    start = time.perf_counter()
    first = None
    failed = 0
    engine = get_engine(engine_name, workers=workers)
    try:
        for outcome in engine.analyse(articles):
            if first is None:
                first = time.perf_counter() - start
            failed += not outcome.ok
        total = time.perf_counter() - start
        stats = engine.stats  # type: ignore[attr-defined]
    finally:
        engine.close()
    n = len(articles)
    first = first or total
    return {
        "engine": engine_name,
        "workers": workers,
        "articles": n,
        "failed": failed,
        "first_result_s": round(first, 2),
        "total_s": round(total, 2),
        "rate_end_to_end": round(n / total, 2),
        "rate_steady": round((n - 1) / (total - first), 2) if total > first else None,
        "driver_peak_mb": round(peak_rss_self_mb()),
        "worker_peak_mb": sorted(round(v / 2**20) for v in stats.peak_rss.values()),
        "worker_load_s": sorted(round(v, 1) for v in stats.load_seconds.values()),
        "cpu_s_per_article": round(stats.cpu_per_article, 3),
        "rate_per_cpu_second": round(1 / stats.cpu_per_article, 2) if stats.cpu_per_article else None,
    }


def run_spacy(records: list[dict], workers: int, model: str) -> dict:
    """Bare spaCy: the same model, the same texts, ``nlp.pipe`` on ``workers`` processes."""
    import spacy

    texts = [r["text"] for r in records]
    start = time.perf_counter()
    nlp = spacy.load(model)
    loaded = time.perf_counter()
    cpu_before = _cpu_self_and_children()
    first = None
    for _ in nlp.pipe(texts, n_process=workers, batch_size=8):
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    # The children (spaCy's own pool) are joined when pipe ends, so their CPU is counted by now; it
    # includes their unpickling of the model, a small overcount against spaCy.
    cpu = _cpu_self_and_children() - cpu_before
    n = len(texts)
    return {
        "model": model,
        "workers": workers,
        "articles": n,
        "load_s": round(loaded - start, 2),
        "cpu_s_per_article": round(cpu / n, 3),
        "rate_per_cpu_second": round(n / cpu, 2),
        "total_s": round(end - start, 2),
        "rate_end_to_end": round(n / (end - start), 2),
        "rate_steady": round((n - 1) / (end - (first or end)), 2) if first and end > first else None,
    }


def profile(records: list[dict], top: int = 35) -> None:
    """The pipeline in this process under cProfile: where an article's time goes, stage by stage."""
    import cProfile
    import pstats

    from frontline.article import from_mapping
    from frontline.pipeline import Pipeline

    t0 = time.perf_counter()
    pipeline = Pipeline()
    print(f"pipeline load: {time.perf_counter() - t0:.2f} s")
    articles = [from_mapping(r, name="bench") for r in records]
    pipeline(articles[0])  # warm caches outside the profile
    stage_time: dict[str, float] = {}
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for article in articles:
        _run_timed(pipeline, article, stage_time)
    prof.disable()
    wall = time.perf_counter() - t0
    print(
        f"{len(articles)} articles in {wall:.2f} s under the profiler "
        f"({len(articles) / wall:.2f} articles/s, one core)"
    )
    total = sum(stage_time.values())
    print("time per stage (share of pipeline time, under the profiler):")
    for name, seconds in sorted(stage_time.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<12} {seconds / len(articles) * 1000:8.1f} ms/article  {100 * seconds / total:5.1f}%")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def _run_timed(pipeline: object, article: object, stage_time: dict[str, float]) -> None:
    from frontline.pipeline.base import State
    from frontline.pipeline.output import to_analysis

    state = State(article=article, text=article.text)  # type: ignore[attr-defined]
    for stage in pipeline.stages:  # type: ignore[attr-defined]
        t = time.perf_counter()
        stage(state)
        stage_time[stage.name] = stage_time.get(stage.name, 0.0) + time.perf_counter() - t
    t = time.perf_counter()
    to_analysis(state)
    stage_time["output"] = stage_time.get("output", 0.0) + time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-spacy", action="store_true", help="skip the bare spaCy comparison")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N articles in-process instead")
    parser.add_argument("--write-corpus", type=Path, metavar="PATH", help="write the corpus as JSONL, exit")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    records = make_corpus(args.profile or args.articles, args.seed)
    if args.write_corpus:
        write_corpus(args.write_corpus, args.articles, args.seed)
        print(f"wrote {args.articles} articles to {args.write_corpus}")
        return
    words = sum(len(r["text"].split()) for r in records) / len(records)
    if args.profile:
        print(f"corpus: {len(records)} articles, {words:.0f} words each on average (seed {args.seed})")
        profile(records)
        return

    from frontline.settings import get_settings

    fl = run_frontline(records, args.workers)
    figures: dict = {
        "corpus": {
            "articles": len(records),
            "mean_words": round(words),
            "seed": args.seed,
            "cpus": os.cpu_count(),
        },
        "frontline": fl,
    }
    if not args.no_spacy:
        sp = run_spacy(records, args.workers, get_settings().spacy_model)
        figures["spacy"] = sp
        figures["ratio_end_to_end"] = round(fl["rate_end_to_end"] / sp["rate_end_to_end"], 2)
        figures["ratio_per_cpu_second"] = round(fl["rate_per_cpu_second"] / sp["rate_per_cpu_second"], 2)
        if fl["rate_steady"] and sp["rate_steady"]:
            figures["ratio_steady"] = round(fl["rate_steady"] / sp["rate_steady"], 2)
    if args.json:
        print(json.dumps(figures))
        return
    total_mb = fl["driver_peak_mb"] + sum(fl["worker_peak_mb"])
    print(f"corpus: {len(records)} synthetic articles, {words:.0f} words on average, seed {args.seed}")
    print(f"frontline extract, local engine, {args.workers} workers:")
    print(
        f"  first result     {fl['first_result_s']:.2f} s   (target <= 3 s); pipeline load in the "
        f"workers {fl['worker_load_s']} s"
    )
    print(
        f"  throughput       {fl['rate_end_to_end']:.2f} articles/s end to end, "
        f"{fl['rate_steady']} steady   (target >= 10)"
    )
    print(
        f"  peak memory      driver {fl['driver_peak_mb']} MB, workers {fl['worker_peak_mb']} MB, "
        f"total {total_mb} MB   (target < 1536 MB)"
    )
    print(
        f"  CPU per article  {fl['cpu_s_per_article']} s in the workers = {fl['rate_per_cpu_second']} "
        "articles per CPU-second (one core's rate when the machine is not shared)"
    )
    print(f"  failed           {fl['failed']}")
    if "spacy" in figures:
        sp = figures["spacy"]
        print(f"bare spaCy {sp['model']}, nlp.pipe n_process={args.workers}:")
        print(
            f"  throughput       {sp['rate_end_to_end']:.2f} articles/s end to end (model load "
            f"{sp['load_s']} s), {sp['rate_steady']} steady"
        )
        print(
            f"  CPU per article  {sp['cpu_s_per_article']} s = {sp['rate_per_cpu_second']} articles per "
            "CPU-second"
        )
        print(
            f"ratio frontline / spaCy: {figures['ratio_end_to_end']} end to end, "
            f"{figures.get('ratio_steady')} steady, {figures['ratio_per_cpu_second']} per CPU-second   "
            "(target >= 0.5)"
        )


if __name__ == "__main__":
    main()
