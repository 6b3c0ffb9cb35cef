"""/gestion/bilan: the territory's activity month by month, as a chart, a table and a CSV file."""
from __future__ import annotations

import csv
import io

from flask import Response, current_app, render_template

from comobi import figures
from comobi.storage import get_board
from comobi.tariff import number_fr
from comobi.web.gestion import bp

HEADERS = ["Mois", "Demandes reçues", "dont web", "dont téléphone", "dont autre canal", "Demandes servies",
           "Part servie", "Conducteurs actifs", "Passagers actifs", "Km partagés (estimation)", "Trajets proposés"]
CHART_HEIGHT = 160
BAR_WIDTH = 18
MONTH_WIDTH = 56
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


@bp.route("/bilan")
def bilan():
    months, total = _figures()
    return render_template("gestion/bilan.html", headers=HEADERS, table=table(months, total),
                           chart=chart(months), months=months, total=total)


@bp.route("/bilan.csv")
def bilan_csv():
    months, total = _figures()
    return Response(csv_text(table(months, total)), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="bilan-covoiturage.csv"'})


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
    writer.writerows([[neutralised(cell) for cell in row] for row in body])
    return out.getvalue()


def neutralised(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def chart(months: list[figures.Figures]) -> dict:
    """Bar geometry for an SVG: requests received and served, side by side, per month."""
    top = max([f.received for f in months] + [1])
    bars = []
    for index, f in enumerate(months):
        x = index * MONTH_WIDTH + 8
        bars.append({
            "label": f"{SHORT_MONTHS[f.month.month - 1]} {f.month.year % 100:02d}",
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
