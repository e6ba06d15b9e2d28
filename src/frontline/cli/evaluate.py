"""``frontline eval``: score the extractor against gold data and gate on pinned floors.

Exit status: 0 when everything asked for holds; 1 when a required rule fails or a figure is below its
floor (or the corpus differs from the one the floors were measured on); the error codes of ``errors.py``
when the evaluation itself cannot run.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from . import handle_errors, main

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json")


def _format_option(func: F) -> F:
    return click.option(
        "--format",
        "form",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="A table for people, or JSON for scripts.",
    )(func)


def corpus_option(func: F) -> F:
    """``--corpus``: the reading benchmark's folder, for the commands that read it (eval, train)."""
    return click.option(
        "--corpus",
        "root",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        help="The benchmark folder (default: $FRONTLINE_CORPUS, else corpus/ in the checkout).",
    )(func)


def _floors_option(func: F) -> F:
    return click.option(
        "--floors",
        "floors_path",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help="A floors JSON file (as tests/eval/floors.json); its section for this scorer is applied.",
    )(func)


def _load_floors(path: Path | None, section: str) -> Mapping[str, Any]:
    from ..errors import InputError

    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at line {exc.lineno})", source=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get(section), dict):
        raise InputError(f"no {section!r} section of floors", source=str(path), field=section)
    floors: Mapping[str, Any] = data[section]
    return floors


def _gate(failures: list[str]) -> None:
    """Report every failed floor or rule on standard error and exit 1, or return when there are none."""
    if failures:
        for failure in failures:
            click.echo(f"below floor: {failure}", err=True)
        sys.exit(1)


@main.group("eval")
def eval_group() -> None:
    """Score extraction against gold data: rule files, gold JSONL, PLOVER GSR, places.

    \b
    Check an example's rules:   frontline eval rules expected.json article.json
    Score a gold JSONL:         frontline eval gold gold.jsonl --min-f1 0.5
    PLOVER event types:         frontline eval plover --floors tests/eval/floors.json
    Places:                     frontline eval geo --geovirus --ucdp --floors tests/eval/floors.json
    """


@eval_group.command("rules")
@click.argument("expected", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date of a plain-text ARTICLE.")
@_format_option
@handle_errors
def rules_command(expected: Path, article: Path, published: str | None, form: str) -> None:
    """Check EXPECTED's must / must_not / should rules against ARTICLE.

    ARTICLE is an article (text, HTML or JSON), which is extracted first, or the JSON output of
    `frontline extract`, which is checked as it is. Exits 1 when a must rule fails or a must_not
    rule is violated; should rules are reported only.
    """
    from ..eval.report import render
    from ..eval.rules import evaluate_rules

    report = evaluate_rules(expected, article, published=published)
    click.echo(render(report, form))
    if not report.ok:
        sys.exit(1)


@eval_group.command("gold")
@click.argument("gold", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--min-f1",
    type=click.FloatRange(0, 1),
    help="Fail when any part the gold annotates has a lower F1.",
)
@click.option("--misses", is_flag=True, help="List every missed and spurious item (JSON: a 'misses' key).")
@_floors_option
@_format_option
@handle_errors
def gold_command(gold: Path, min_f1: float | None, misses: bool, floors_path: Path | None, form: str) -> None:
    """Extract every article of a GOLD JSONL file and print P/R/F1 per part and label.

    The format and the matching rules are in docs/eval.md.
    """
    from ..eval.gold import evaluate_gold
    from ..eval.report import check_floors, render

    report = evaluate_gold(gold)
    if form == "json":
        click.echo(json.dumps(report.to_dict(misses=misses), indent=2, ensure_ascii=False))
    else:
        click.echo(render(report, form))
        if misses:
            for miss in report.misses:
                click.echo(f"{miss.kind}  {miss.part:<15} {miss.article}: {miss.label}: {miss.what}")
    failures = check_floors(report.to_dict(), _load_floors(floors_path, "gold"))
    if min_f1 is not None:
        for name, part in report.parts.items():
            f1 = part.counts.f1
            if part.articles and (f1 is None or f1 < min_f1):
                failures.append(f"parts.{name}.f1: {f1 if f1 is None else round(f1, 4)} is below {min_f1}")
    _gate(failures)


@eval_group.command("plover")
@click.argument("path", required=False, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    help="The shared data folder (default: $FRONTLINE_SHARED, else ../shared beside the repository).",
)
@click.option("--min-accuracy", type=click.FloatRange(0, 1), help="Fail below this accuracy.")
@click.option("--min-macro-f1", type=click.FloatRange(0, 1), help="Fail below this macro-F1.")
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write each misclassified record, with the extractor's events, to this JSONL file.",
)
@click.option("--limit", type=click.IntRange(1), help="Score only the first N records (a quick look).")
@_floors_option
@_format_option
@handle_errors
def plover_command(
    path: Path | None,
    shared: Path | None,
    min_accuracy: float | None,
    min_macro_f1: float | None,
    errors_path: Path | None,
    limit: int | None,
    floors_path: Path | None,
    form: str,
) -> None:
    """PLOVER event type accuracy and macro-F1 on the PLOVER gold-standard records.

    PATH defaults to data/plover-gsr/PLOVER_GSR_CAMEO.json in the shared folder. Old-draft labels
    are mapped (DEMAND->REQUEST, FIGHT->ASSAULT, DISAPPROVE and INVESTIGATE->ACCUSE); the
    prediction is the PLOVER event of the most confident extracted event, or NONE.
    """
    from ..eval.plover import evaluate_plover, write_errors
    from ..eval.report import check_floors, render

    report = evaluate_plover(path, shared=shared, limit=limit)
    click.echo(render(report, form))
    if errors_path is not None:
        n = write_errors(report, errors_path)
        click.echo(f"{n} misclassified records written to {errors_path}", err=True)
    result = report.to_dict()
    failures = check_floors(result, _load_floors(floors_path, "plover"))
    if min_accuracy is not None and result["accuracy"] < min_accuracy:
        failures.append(f"accuracy: {result['accuracy']} is below {min_accuracy}")
    if min_macro_f1 is not None and result["macro_f1"] < min_macro_f1:
        failures.append(f"macro_f1: {result['macro_f1']} is below {min_macro_f1}")
    _gate(failures)


@eval_group.command("geo")
@click.argument("gold", required=False, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--ucdp",
    "ucdp",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[CSV]",
    help="Score place resolution on UCDP GED rows (default CSV: the shared sample).",
)
@click.option(
    "--geovirus",
    "geovirus",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[XML]",
    help="Geoparse GeoVirus' WikiNews passages and score them (default XML: the shared copy).",
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    help="The shared data folder (default: $FRONTLINE_SHARED, else ../shared beside the repository).",
)
@click.option("--floor", "floor_args", multiple=True, metavar="KEY=MIN", help="Fail when KEY is below MIN.")
@_floors_option
@_format_option
@handle_errors
def geo_command(
    gold: Path | None,
    ucdp: str | None,
    geovirus: str | None,
    shared: Path | None,
    floor_args: tuple[str, ...],
    floors_path: Path | None,
    form: str,
) -> None:
    """Geoparsing accuracy: toponyms of a GOLD file (JSONL, or GeoVirus XML), GeoVirus (--geovirus),
    and/or place resolution on UCDP GED rows (--ucdp).

    Floors (--floors tests/eval/floors.json, its "geo" section, or --floor KEY=MIN) are dotted keys into
    the results, e.g. geovirus.accuracy_161km=0.8 or ucdp.accuracy_25km=0.54."""
    from ..errors import ConfigError
    from ..eval.report import as_dict, check_floors, render_any

    if gold is None and ucdp is None and geovirus is None:
        raise click.UsageError("give a GOLD file, --geovirus [XML], --ucdp [CSV], or several")
    try:
        # Imported by name: the geoparser engineer's module, loaded only when this command runs.
        geo = importlib.import_module("frontline.eval.geo")
    except ImportError as exc:
        raise ConfigError(f"the geoparser evaluation (frontline.eval.geo) is not available: {exc}") from None
    floors = dict(_load_floors(floors_path, "geo")) if floors_path else {}
    for arg in floor_args:
        key, sep, value = arg.partition("=")
        try:
            floors[key.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{arg!r} is not KEY=NUMBER", param_hint="--floor") from None
        if not sep:
            raise click.BadParameter(f"{arg!r} is not KEY=NUMBER", param_hint="--floor")
    results: dict[str, Any] = {}
    if gold is not None:
        from .. import get_pipeline

        results["gold"] = geo.evaluate_geo(gold, get_pipeline())
    if geovirus is not None:
        from .. import get_pipeline
        from ..eval import GEOVIRUS, shared_file

        xml_path = Path(geovirus) if geovirus else shared_file(GEOVIRUS, shared)
        results["geovirus"] = geo.evaluate_geo(xml_path, get_pipeline())
    if ucdp is not None:
        from ..eval import UCDP_SAMPLE, shared_file
        from ..gazetteer import open_gazetteer
        from ..settings import get_settings

        csv_path = Path(ucdp) if ucdp else shared_file(UCDP_SAMPLE, shared)
        results["ucdp"] = geo.evaluate_ucdp(csv_path, open_gazetteer(get_settings()))
    if form == "json":
        click.echo(json.dumps({k: as_dict(v) for k, v in results.items()}, indent=2, default=str))
    else:
        click.echo("\n\n".join(f"[{k}]\n{render_any(v, form)}" for k, v in results.items()))
    # Floors are dotted keys into {"gold": ..., "geovirus": ..., "ucdp": ...}, e.g. ucdp.accuracy_25km=0.8;
    # a section of the floors file is checked against its own result, so its sha256 is checked too.
    as_dicts = {k: as_dict(v) for k, v in results.items()}
    failures: list[str] = []
    for name, section in floors.items():
        if isinstance(section, dict):
            if name in as_dicts:
                failures += [f"{name}.{f}" for f in check_floors(as_dicts[name], section)]
        elif name.split(".")[0] in as_dicts:
            failures += check_floors(as_dicts, {name: section})
    _gate(failures)


@eval_group.command("corpus")
@click.option(
    "--split",
    type=click.Choice(("train", "dev", "test")),
    default="dev",
    show_default=True,
    help="Which split. Rules and models change looking at train and dev only; test is scored, never read.",
)
@click.option(
    "--part",
    type=click.Choice(("reports", "sentences", "notes")),
    default="reports",
    show_default=True,
    help="Written reports with full gold, relabelled real sentences, or ACLED-style notes.",
)
@corpus_option
@click.option(
    "--pin", is_flag=True, help="Write corpus/SHA256SUMS for the split files as they are, then exit."
)
@_floors_option
@_format_option
@handle_errors
def corpus_command(
    split: str, part: str, root: Path | None, pin: bool, floors_path: Path | None, form: str
) -> None:
    """Score extraction on the reading benchmark (docs/annotation.md).

    \b
    reports    control changes (strict and place-only), fake captures, ACLED
               events one per happening, sub-event and PLOVER typing, modality,
               dates and quotes; per genre and per conflict; on train and dev
               the ten worst records with what went wrong
    sentences  relabelled real sentences: is a change of hands read, with the
               right place and captor
    notes      ACLED-style notes: sub-event type accuracy and weighted F1

    The test split prints aggregate figures only. Floors (--floors) are read from
    the file's corpus.PART.SPLIT section.
    """
    from ..bench.corpus import pin as pin_splits
    from ..eval.corpus import evaluate_corpus
    from ..eval.report import check_floors

    if pin:
        for name, digest in pin_splits(root).items():
            click.echo(f"{digest}  {name}")
        return
    result = evaluate_corpus(part, split, root=root)
    data = result.to_dict()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if form == "json" else result.to_table())
    floors: Mapping[str, Any] = {}
    if floors_path is not None:
        section = _load_floors(floors_path, "corpus")
        floors = section.get(part, {}).get(split, {})
    _gate(check_floors(data, floors))


@eval_group.command("validate")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@handle_errors
def validate_command(files: tuple[Path, ...]) -> None:
    """Check benchmark JSONL files record by record (reports, relabelled sentences, notes).

    Every problem names the line, the record's id and the field. Exits 1 when any record is invalid.
    """
    from ..bench.validate import check_file

    bad = False
    for path in files:
        checked = check_file(path)
        for problem in checked.problems:
            click.echo(f"{path}: {problem}")
        counts = ", ".join(f"{v} {k}s" for k, v in sorted(checked.kinds.items())) or "no records"
        click.echo(f"{path}: {counts} valid, {len(checked.problems)} problems")
        bad = bad or bool(checked.problems)
    if bad:
        sys.exit(1)


@eval_group.command("stories")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    help="The shared data folder (default: $FRONTLINE_SHARED, else ../shared beside the repository).",
)
@_floors_option
@_format_option
@handle_errors
def stories_command(shared: Path | None, floors_path: Path | None, form: str) -> None:
    """PLOVER event typing on the synthetic stories' held-out part (one story in five, by a hash of
    its text; the other four may be trained on). The stories are machine-written and noisy: a
    check of a document-level reading, not a gold standard."""
    from ..eval.report import check_floors
    from ..eval.synthetic import evaluate_synthetic

    report = evaluate_synthetic(shared)
    data = report.to_dict()
    click.echo(json.dumps(data, indent=2) if form == "json" else report.to_table())
    _gate(check_floors(data, _load_floors(floors_path, "synthetic") if floors_path else {}))
