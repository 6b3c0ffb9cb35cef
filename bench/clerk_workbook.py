"""A workbook as a clerk really keeps it, and an inventory of what it holds.

``write_clerk_workbook`` makes the three tabs with a formula in a trip's ``Départ``, a
picture, a chart, a drop-down list, comments, conditional formatting, a named range, a
filter, column widths, frozen panes and tabs of her own. Formulas carry their cached
results, as LibreOffice and Excel save them (openpyxl itself saves formulas without
results, so they are written into the file afterwards). The picture needs Pillow.

``inventory`` lists each of those features, so that two files can be compared before and
after the app writes. Kept in bench/ so that ``bench.xlsx_keep`` stands on its own;
tests use it too.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from comobi.schema import PLACES, REQUESTS, TRIPS

# cell -> (formula, cached result) on each tab
FORMULAS = {
    "Trajets": {"I2": ("=Paramètres!B1", "Figeac")},
    "Bilan": {"B1": ("=COUNTA(Trajets!A:A)-1", 3), "B2": ('=COUNTIF(Trajets!S:S,"publié")', 3),
              "B3": ("=B1*2", 6)},
}


def write_clerk_workbook(path: Path, picture: bool = True) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    trips = book.create_sheet(TRIPS.title)
    trips.append(TRIPS.headers)
    for number, (origin, destination) in enumerate([("", "Cahors"), ("Gramat", "Figeac"),
                                                    ("Limogne-en-Quercy", "Cahors")], start=1):
        record = {"ID": f"T{number:04d}", "Prénom": f"Conducteur {number}", "Téléphone": f"06 39 98 00 0{number}",
                  "Contact direct": "Oui", "Départ": origin, "Arrivée": destination, "Jours": "lundi, jeudi",
                  "Heure aller": "8h30", "Places": "3", "Statut": "publié"}
        trips.append([record.get(header, "") for header in TRIPS.headers])
    trips["I2"] = FORMULAS["Trajets"]["I2"][0]
    trips.freeze_panes = "A2"
    for letter, width in {"A": 9, "C": 16, "I": 22, "K": 22, "R": 40}.items():
        trips.column_dimensions[letter].width = width
    trips.auto_filter.ref = "A1:T4"
    statuses = DataValidation(type="list", formula1='"publié,en attente,archivé"', allow_blank=True)
    statuses.add("S2:S500")
    trips.add_data_validation(statuses)
    trips["S1"].comment = Comment("publié / en attente / archivé", "Secrétariat")
    trips["C2"].comment = Comment("Appeler avant le 15", "Secrétariat")
    trips.conditional_formatting.add("Q2:Q500", CellIsRule(operator="lessThan", formula=["1"],
                                                           fill=PatternFill("solid", fgColor="FFC7CE")))
    trips["R2"].fill = PatternFill("solid", fgColor="FFFF00")

    requests = book.create_sheet(REQUESTS.title)
    requests.append(REQUESTS.headers)
    requests.append(["D0001", "01/12/2026", "Louise", "", "06 12 34 56 78", "", "Gramat", "", "Figeac", "",
                     "", "mardi", "9h", "", "médecin", "téléphone", "nouvelle", "", "", ""])
    book.create_sheet(PLACES.title).append(PLACES.headers)

    settings = book.create_sheet("Paramètres")
    for row, name in enumerate(["Figeac", "Gramat", "Cahors"], start=1):
        settings.cell(row, 1, f"Commune {row}")
        settings.cell(row, 2, name)
    book.defined_names["Communes"] = DefinedName("Communes", attr_text="Paramètres!$B$1:$B$3")

    summary = book.create_sheet("Bilan")
    for row, label in enumerate(["Trajets", "Publiés", "Double"], start=1):
        summary.cell(row, 1, label)
        summary.cell(row, 2, FORMULAS["Bilan"][f"B{row}"][0])
    chart = BarChart()
    chart.title = "Trajets"
    chart.add_data(Reference(summary, min_col=2, min_row=1, max_row=3))
    chart.set_categories(Reference(summary, min_col=1, min_row=1, max_row=3))
    summary.add_chart(chart, "D2")
    if picture:
        summary.add_image(_logo(), "D20")
    book.create_sheet("Notes").append(["Réunion du 3 décembre : penser aux marchés."])

    buffer = io.BytesIO()
    book.save(buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_with_cached_results(buffer.getvalue(), book.sheetnames))
    return path


def _logo():
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    picture = PILImage.new("RGB", (40, 20), (0, 110, 80))
    data = io.BytesIO()
    picture.save(data, "PNG")
    data.seek(0)
    return Image(data)


def _with_cached_results(data: bytes, titles: list[str]) -> bytes:
    """Formulas get the results a spreadsheet program would have saved with them."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for info in source.infolist():
            content = source.read(info)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and titles[int(match.group(1)) - 1] in FORMULAS:
                content = _cache(content.decode(), FORMULAS[titles[int(match.group(1)) - 1]]).encode()
            written.writestr(info, content)
    return out.getvalue()


def _cache(xml: str, formulas: dict) -> str:
    for ref, (_, result) in formulas.items():
        kind = ' t="str"' if isinstance(result, str) else ""
        xml = re.sub(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                     lambda m, ref=ref, kind=kind, result=result:
                     f'<c r="{ref}"{m.group(1)}{kind}><f>{m.group(2)}</f><v>{result}</v>', xml)
    return xml


def inventory(path: Path) -> dict:
    """What the clerk would miss if it went: one entry per kind of feature."""
    formulas = openpyxl.load_workbook(path)
    results = openpyxl.load_workbook(path, data_only=True)
    names = zipfile.ZipFile(path).namelist()
    found = {
        "tabs": formulas.sheetnames,
        "formulas": {}, "comments": {}, "validations": {}, "conditional formats": {},
        "filters": {}, "column widths": {}, "frozen panes": {}, "fills": {},
        "pictures": len([n for n in names if n.startswith("xl/media/")]),
        "charts": len([n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]),
        "names": sorted(formulas.defined_names),
    }
    for sheet in formulas.worksheets:
        title = sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    result = results[title][cell.coordinate].value
                    found["formulas"][f"{title}!{cell.coordinate}"] = (cell.value, result)
                if cell.comment is not None:
                    found["comments"][f"{title}!{cell.coordinate}"] = cell.comment.text
                if cell.fill is not None and cell.fill.fill_type == "solid":
                    found["fills"][f"{title}!{cell.coordinate}"] = cell.fill.fgColor.rgb
        found["validations"][title] = [(str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation]
        found["conditional formats"][title] = [str(r.sqref) for r in sheet.conditional_formatting]
        found["filters"][title] = sheet.auto_filter.ref
        found["column widths"][title] = {k: d.width for k, d in sheet.column_dimensions.items() if d.customWidth}
        found["frozen panes"][title] = sheet.freeze_panes
    return found


def lost(before: dict, after: dict) -> dict:
    """The features of ``before`` that ``after`` no longer has the same (empty: all kept)."""
    differences = {}
    for kind, was in before.items():
        now = after.get(kind)
        if kind == "formulas":
            gone = {cell: value for cell, value in was.items() if now.get(cell) != value}
            if gone:
                differences[kind] = {cell: (value, now.get(cell)) for cell, value in gone.items()}
        elif kind == "filters":
            changed = {tab: (ref, now.get(tab)) for tab, ref in was.items() if not _same_filter(ref, now.get(tab))}
            if changed:
                differences[kind] = changed
        elif kind == "tabs":
            if now[: len(was)] != was:  # tabs added at the end (by sheet init) are not a loss
                differences[kind] = (was, now)
        elif isinstance(was, dict):
            changed = {tab: (value, now.get(tab)) for tab, value in was.items() if now.get(tab) != value}
            if changed:
                differences[kind] = changed
        elif now != was:
            differences[kind] = (was, now)
    return differences


def _same_filter(before: str | None, after: str | None) -> bool:
    """A filter kept over the same columns (it may reach further down, over appended rows)."""
    if before is None or after is None:
        return before == after
    return before.split(":")[0] == after.split(":")[0] and re.sub(r"\d", "", before) == re.sub(r"\d", "", after)
