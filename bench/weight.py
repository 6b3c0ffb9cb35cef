"""Page weight: bytes an old phone downloads for a page, compressed as a proxy would.

    python -m bench.weight                   # on the 1,000- and 10,000-trip workbooks
    python -m bench.weight --trips 10000

For `/`, `/trajets` (first page), a trip page and the two forms: the HTML, and the CSS and
JavaScript it links to, each gzipped at level 6 (nginx's `gzip_comp_level` is 1 by
default, Caddy's and Apache's ~6; level 1 is a few % bigger). Also counts `<script>`
tags (none should be needed) and `<option>`s of the commune suggestions. Budget: 30 KB.
Also `recherche.js`, the trips and communes a frozen site's search matches in the browser:
its pages fetch it only when the visitor searches, so it counts in no page's weight.
"""
from __future__ import annotations

import argparse
import gzip
import re

from bench import common

BUDGET = 30 * 1024
PAGES = ("/", "/trajets", "TRIP", "/proposer", "/demander")
_ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def weigh(client, path: str) -> dict:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    html = response.get_data()
    text = html.decode()
    assets = 0
    for url in sorted(set(_ASSET.findall(text))):
        asset = client.get(url)
        assets += gzipped(asset.get_data())
        asset.close()
    return {"path": path, "html": len(html), "html_gz": gzipped(html), "assets_gz": assets,
            "total_gz": gzipped(html) + assets, "scripts": text.count("<script"),
            "options": text.count("<option value=") - text.count('<option value="">') - 7 * ("<select" in text)}


def frozen_search_index(app) -> dict:
    """recherche.js as `flask freeze` writes it (paths of frozen files)."""
    from comobi.freeze_pages import render_with
    from comobi.web.static_links import StaticLinks

    body = render_with(app, StaticLinks(app), "/recherche.js")
    return {"raw": len(body), "gz": gzipped(body)}


def first_trip(client) -> str:
    trips = client.get("/trajets.json").get_json()["trajets"]
    return f"/trajets/{trips[0]['id']}"


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser)
    args = parser.parse_args(argv)
    print(common.machine())
    rows = []
    for path in common.workbooks(args):
        app = common.make_app(path, args.departements)
        client = app.test_client()
        print(f"\n{path.name} (scope: départements {', '.join(args.departements)})")
        print(f"  {'page':28} {'HTML':>8} {'HTML gz':>8} {'CSS+JS gz':>10} {'total gz':>9} "
              f"{'scripts':>8} {'options':>8}")
        for page in PAGES:
            url = first_trip(client) if page == "TRIP" else page
            row = weigh(client, url)
            flag = "" if row["total_gz"] <= BUDGET else "  OVER 30 KB"
            print(f"  {url:28} {row['html']:8d} {row['html_gz']:8d} {row['assets_gz']:10d} "
                  f"{row['total_gz']:9d} {row['scripts']:8d} {row['options']:8d}{flag}")
            rows.append(row)
        index = frozen_search_index(app)
        print(f"  {'/recherche.js (frozen site)':28} {index['raw']:8d} {index['gz']:8d}   "
              "fetched only when the visitor searches")
    return rows


if __name__ == "__main__":
    main()
