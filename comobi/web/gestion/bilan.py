"""/gestion/bilan: the territory's activity month by month, as a chart, a table and a CSV file."""
from __future__ import annotations

import csv
import io

from flask import Response, current_app, render_template

from comobi import figures
from comobi.french_dates import short_month_year
from comobi.parsing import format_decimal
from comobi.storage import get_board
from comobi.storage.safe_text import inert
from comobi.tariff import number_fr
from comobi.web.gestion.blueprint import bp

HEADERS = ["Mois", "Demandes reçues", "dont web", "dont téléphone", "dont autre canal", "Demandes servies",
           "Part servie", "Conducteurs actifs", "Passagers actifs", "Km partagés (estimation)", "Trajets proposés"]
CHART_HEIGHT = 160
BAR_WIDTH = 18
MONTH_WIDTH = 56


RIDE_HEADERS = ["Mois", "Courses faites", "Km parcourus", "Personnes transportées", "Conducteurs", "Bénévoles",
                "Indemnités (€)", "Tickets"]
REASON_HEADERS = ["Motif", "Demandes", "dont servies"]
COMMUNE_HEADERS = ["Commune", "Demandes", "dont sans solution"]
MAP_WIDTH = 360


@bp.route("/bilan")
def bilan():
    months, total = _figures()
    board = get_board()
    ride_months, ride_total = figures.rides_monthly(board)
    communes = figures.unserved_communes(board)
    return render_template("gestion/bilan.html", headers=HEADERS, table=table(months, total),
                           chart=chart(months), months=months, total=total,
                           ride_headers=RIDE_HEADERS, ride_table=ride_table(ride_months, ride_total),
                           reason_headers=REASON_HEADERS, reason_table=reason_table(board),
                           commune_headers=COMMUNE_HEADERS, commune_table=commune_table(communes),
                           map=unserved_map(board.places.in_scope(), communes))


@bp.route("/bilan-courses.csv")
def bilan_rides_csv():
    ride_months, ride_total = figures.rides_monthly(get_board())
    return csv_download(csv_text(ride_table(ride_months, ride_total), RIDE_HEADERS), "bilan-courses.csv")


@bp.route("/bilan-motifs.csv")
def bilan_reasons_csv():
    return csv_download(csv_text(reason_table(get_board()), REASON_HEADERS), "bilan-motifs.csv")


@bp.route("/bilan-communes.csv")
def bilan_communes_csv():
    return csv_download(csv_text(commune_table(figures.unserved_communes(get_board())), COMMUNE_HEADERS),
                        "bilan-communes-sans-solution.csv")


def ride_table(months: list[figures.RideFigures], total: figures.RideFigures) -> list[list[str]]:
    return [[f.label, str(f.rides_done), format_decimal(f.km, 1), str(f.people), str(f.drivers), str(f.volunteers),
             format_decimal(f.indemnities, 2), str(f.tickets)] for f in months + [total]]


def reason_table(board) -> list[list[str]]:
    return [[label, str(count), str(served)] for label, count, served in figures.reasons(board)]


def commune_table(communes) -> list[list[str]]:
    return [[place.name, str(count), str(unserved)] for place, count, unserved in communes]


def unserved_map(places: list, communes) -> dict:
    """An SVG map of the territory's communes (dots), the unserved ones as circles by count.

    Equirectangular, x scaled by cos(latitude): at a département's size that looks right.
    """
    import math

    if not places:
        return {"dots": [], "circles": [], "width": MAP_WIDTH, "height": 0}
    lats = [p.latitude for p in places]
    lons = [p.longitude for p in places]
    squeeze = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * squeeze, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = (MAP_WIDTH - 20) / span_x
    height = round(span_y * scale + 20)

    def point(place) -> tuple[float, float]:
        return (round(10 + (place.longitude - min(lons)) * squeeze * scale, 1),
                round(10 + (max(lats) - place.latitude) * scale, 1))

    top = max([unserved for _, _, unserved in communes] + [1])
    circles = [{"x": point(p)[0], "y": point(p)[1], "r": round(3 + 9 * math.sqrt(unserved / top), 1),
                "label": f"{p.name} : {unserved} demande{'s' if unserved > 1 else ''} sans solution"}
               for p, _, unserved in communes]
    return {"dots": [point(p) for p in places], "circles": circles, "width": MAP_WIDTH, "height": height}


def csv_download(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/bilan.csv")
def bilan_csv():
    months, total = _figures()
    return csv_download(csv_text(table(months, total)), "bilan-covoiturage.csv")


def _figures():
    return figures.monthly(get_board(), current_app.config["COMOBI"]["tarif.road_factor"])


def table(months: list[figures.Figures], total: figures.Figures) -> list[list[str]]:
    """One row of text per month, then the total: what the page's table and the CSV show."""
    return [_row(f) for f in months + [total]]


def _row(f: figures.Figures) -> list[str]:
    share = f"{round(f.served_share * 100)} %" if f.served_share is not None else "–"
    return [f.label, str(f.received), str(f.by_channel[figures.WEB]), str(f.by_channel[figures.PHONE]),
            str(f.by_channel[figures.OTHER]), str(f.served), share, str(f.drivers), str(f.passengers),
            number_fr(f.km_shared), str(f.trips_offered)]


def csv_text(body: list[list[str]], headers: list[str] = HEADERS) -> str:
    """';'-separated with a BOM so Excel (French settings) opens it; no cell read as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[inert(cell) for cell in row] for row in body])
    return out.getvalue()


def chart(months: list[figures.Figures]) -> dict:
    """Bar geometry for an SVG: requests received and served, side by side, per month."""
    top = max([f.received for f in months] + [1])
    bars = []
    for index, f in enumerate(months):
        x = index * MONTH_WIDTH + 8
        bars.append({
            "label": short_month_year(f.month),
            "x": x,
            "received": _bar(f.received, top, x),
            "served": _bar(f.served, top, x + BAR_WIDTH + 2),
            "middle": x + BAR_WIDTH + 1,
        })
    return {"bars": bars, "width": max(len(months) * MONTH_WIDTH + 16, 200), "height": CHART_HEIGHT,
            "bar_width": BAR_WIDTH, "top": top}


def _bar(value: int, top: int, x: int) -> dict:
    height = round(value / top * (CHART_HEIGHT - 20))
    return {"value": value, "x": x, "y": CHART_HEIGHT - height, "height": height}
