"""Render the map page over a database to a PNG (the README's and docs/api.md's screenshot).

    .venv/bin/python tests/web/screenshot.py --db frontline.db --out docs/screenshot.png

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
            page.goto(server.url)
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
                page.locator("button.fit-all").click()
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
    args = ap.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no such database")
    render(args.db, args.out, evidence=args.evidence, select=args.select, window=args.window)


if __name__ == "__main__":
    main()
