"""Render the map page over a database to a PNG (the README's and docs/api.md's screenshot).

    .venv/bin/python tests/web/screenshot.py --db frontline.db --out docs/screenshot.png
    .venv/bin/python tests/web/screenshot.py --db frontline.db --view 'date=2024-12-09&bbox=35,32,42,37.5' \
        --phone --no-evidence --out docs/screenshot-phone.png

The page is served on a free loopback port and drawn by Debian's Chromium through Playwright, as in the
browser test; with ``--evidence`` the first event in the list is opened, so its highlighted sentence is in
the picture. Requests beyond loopback (the online tiles) are blocked: the picture shows the offline map.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for web.conftest

from web.conftest import CHROMIUM, CHROMIUM_ARGS, serve_store


def render(
    db: Path,
    out: Path,
    *,
    evidence: bool,
    select: str | None = None,
    window: str = "30",
    width: int = 1400,
    height: int = 860,
    view: str = "",
    place: str | None = None,
) -> None:
    from playwright.sync_api import sync_playwright

    server_gen = serve_store(db)
    server = next(server_gen)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost")
                    else route.abort()
                ),
            )
            page.goto(server.url + ("?" + view if view else ""))
            page.wait_for_selector('body[data-loading="false"]', state="attached", timeout=30_000)
            if window != "30":
                page.select_option("#f-window", window)
                page.wait_for_timeout(300)
                page.wait_for_selector('body[data-loading="false"]', state="attached")
            rows = (
                page.locator("#event-list li", has_text=select) if select else page.locator("#event-list li")
            )
            if evidence and rows.count():
                rows.first.click()
                page.wait_for_selector("#evidence .article-text", timeout=15_000)
                if not view:
                    page.locator("button.fit-all").click()
            if place:
                page.locator(f'.ctl-marker[data-place-id="{place}"]').click()
                page.wait_for_selector("#evidence .history", timeout=15_000)
                page.mouse.move(1, 1)  # the place's tooltip would hide its label
            page.wait_for_timeout(800)  # let the zoom animation and tooltips settle
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server_gen.close()
    print(f"wrote {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="a SQLite database made by frontline ingest")
    ap.add_argument("--out", type=Path, default=Path("docs/screenshot.png"))
    ap.add_argument("--no-evidence", dest="evidence", action="store_false", help="just the map and list")
    ap.add_argument("--select", metavar="TEXT", help="open the first listed event whose row contains TEXT")
    ap.add_argument(
        "--window",
        choices=["1", "7", "30", "0"],
        default="30",
        help="events from that day, the week, 30 days before the date, or all (0)",
    )
    ap.add_argument(
        "--view", default="", metavar="QUERY", help="the page's view: 'date=2024-12-09&bbox=35,32,42,37.5'"
    )
    ap.add_argument("--place", metavar="ID", help="open this place's panel (a place id such as gn:170017)")
    ap.add_argument("--phone", action="store_true", help="a phone's screen, 390 x 844")
    args = ap.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no such database")
    size = {"width": 390, "height": 844} if args.phone else {}
    render(
        args.db,
        args.out,
        evidence=args.evidence,
        select=args.select,
        window=args.window,
        view=args.view,
        place=args.place,
        **size,
    )


if __name__ == "__main__":
    main()
