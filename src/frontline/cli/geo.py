"""``frontline gazetteer ...`` (the GeoNames index) and ``frontline geoparse`` (place names of a text)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from ..errors import InputError
from . import handle_errors, main

if TYPE_CHECKING:
    from ..settings import Settings


def _settings() -> Settings:
    from ..settings import get_settings

    return get_settings()


@main.group()
def gazetteer() -> None:
    """The GeoNames index: build it, see what it holds, look names up.

    \b
    The index (countries, first- and second-level divisions, and every GeoNames place of 500 people or
    more, with alternate names) is built once into FRONTLINE_GAZETTEER_PATH, or gazetteer.sqlite in
    FRONTLINE_DATA_DIR, and opened read-only by every process after that.
    """


@gazetteer.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the index exists.")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
@handle_errors
def gazetteer_build(force: bool, quiet: bool) -> None:
    """Build the GeoNames index (about a minute; skipped when it exists)."""
    from ..gazetteer import build_gazetteer, index_version
    from ..gazetteer.build import INDEX_VERSION

    settings = _settings()
    path = settings.gazetteer_file()
    current = index_version(path) == INDEX_VERSION
    build_gazetteer(settings, force=force, quiet=quiet)
    if not quiet:
        verb = "already there" if current and not force else "built"
        click.echo(f"gazetteer index {verb}: {path}", err=True)


@gazetteer.command("info")
@handle_errors
def gazetteer_info() -> None:
    """Where the index is, when it was built, and how many places and names it holds."""
    from ..gazetteer import open_gazetteer

    settings = _settings()
    gaz = open_gazetteer(settings)
    info = {
        "path": str(settings.gazetteer_file()),
        "bytes": settings.gazetteer_file().stat().st_size,
        **gaz.info(),
    }
    click.echo(json.dumps(info, indent=2))


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--country", "-c", multiple=True, help="Context country (ISO alpha-2); repeatable.")
@click.option("--limit", "-n", default=10, show_default=True, help="How many candidates to list.")
@handle_errors
def gazetteer_lookup(name: str, country: tuple[str, ...], limit: int) -> None:
    """The places NAME can mean, best first, with the score the resolver gives each.

    \b
    frontline gazetteer lookup "Ma'arrat al-Numan"
    frontline gazetteer lookup Tripoli --country LB
    """
    from ..gazetteer import open_gazetteer
    from ..gazetteer.resolve import Context, matches, rank

    gaz = open_gazetteer(_settings())
    ctx = Context()
    for code in country:
        ctx.countries[code.upper()] += 1.0
    ranked = rank(matches(gaz, name), ctx, name=name)[:limit]
    if not ranked:
        click.echo(f"no place called {name!r} in the index", err=True)
        sys.exit(1)
    for sc in ranked:
        p = sc.place
        click.echo(
            f"{sc.score:6.2f}  {p.geonameid:>9}  {p.feature:7}  {p.country_code or '--'}  "
            f"{p.name} ({p.admin1 or '-'}; pop {p.population:,}; {p.lat:.4f}, {p.lon:.4f})"
        )


@main.command("geoparse")
@click.argument("path", type=click.Path(allow_dash=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
    help="JSON (the `toponyms` of `frontline extract`) or a readable table.",
)
@handle_errors
def geoparse_cmd(path: str, fmt: str) -> None:
    """Print every place name in a text file (or - for standard input), resolved against GeoNames.

    \b
    frontline geoparse article.txt
    echo "Shelling hit Avdiivka and the outskirts of Donetsk." | frontline geoparse - --format table
    """
    from .. import geoparse, get_pipeline

    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the text ({exc})", source=path) from exc
    if not text.strip():
        raise InputError("the text is empty", source=path)
    toponyms = geoparse(text, pipeline=get_pipeline())
    if fmt == "json":
        click.echo(json.dumps([t.model_dump(mode="json") for t in toponyms], indent=2, ensure_ascii=False))
        return
    for t in toponyms:
        where = f"{t.lat:.4f}, {t.lon:.4f}" if t.lat is not None and t.lon is not None else "-"
        click.echo(
            f"{t.span[0]:>6}-{t.span[1]:<6} {t.text:30.30} {t.feature:7} {t.country_code or '--'}  "
            f"{t.geonameid or '-':>9}  {where}"
        )
