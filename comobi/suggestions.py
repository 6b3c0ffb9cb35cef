"""Which commune names the search and the forms suggest as people type (pure).

Suggestions are a `<datalist>` in the page: no JavaScript, but every name travels with
every page. Up to a few thousand names cost little once compressed; a larger territory
(a region, the whole country) would weigh far more than the rest of the page, so it gets
the places where trips start or end, then the most populous communes, up to a limit.
Any commune can still be typed: suggestions only help.
"""
from __future__ import annotations

from collections.abc import Iterable

from comobi.models import Place, Trip
from comobi.parsing import normalise_key

# About 9 KB once gzipped (a page with the list of 4 départements is ~10 KB in all).
MAX_SUGGESTIONS = 1500


def suggested_places(in_scope: list[Place], trips: Iterable[Trip], populations: dict[str, int],
                     limit: int = MAX_SUGGESTIONS) -> list[Place]:
    """`in_scope` (sorted by name) when it is short enough; else trip ends first, then the
    most populous (`populations` by INSEE code), sorted by name again."""
    if len(in_scope) <= limit:
        return in_scope
    served = {p for t in trips for p in (t.origin, t.destination)}
    ranked = sorted(in_scope, key=lambda p: (p not in served, -populations.get(p.insee, 0)))
    chosen = ranked[:limit]
    return sorted(chosen, key=lambda p: (normalise_key(p.name), p.name))
