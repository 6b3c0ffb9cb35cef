"""Cells written into a worksheet's XML text (comobi/storage/xlsx_sheet.py): pure, no files."""
import io
import re
import zipfile

import openpyxl
import pytest

from comobi.storage.local import cell_text
from comobi.storage.xlsx_package import Package
from comobi.storage.xlsx_sheet import SheetEditError, WorksheetXml, extend_autofilter, extend_range_rows

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(body: str, before: str = '<dimension ref="A1:B2"/>', after: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>{before}<sheetData>{body}</sheetData>{after}</worksheet>'


def cell(ref: str, text: str, extra: str = "") -> str:
    return f'<c r="{ref}"{extra} t="inlineStr"><is><t>{text}</t></is></c>'


def read_back(xml: str) -> list[list]:
    """The sheet as openpyxl reads it from a real package holding ``xml`` (styles aside)."""
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as written:
        for info in source.infolist():
            data = re.sub(r' s="\d+"', "", xml).encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            written.writestr(info, data)
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)]


def test_append_goes_after_the_last_row_with_a_value_and_reuses_formatted_rows():
    xml = sheet(f'<row r="1">{cell("A1", "ID")}</row><row r="2">{cell("A2", "T1")}</row>'
                '<row r="3" s="4" customFormat="1" ht="20" customHeight="1"/><row r="4" s="4" customFormat="1"/>')
    edit = WorksheetXml(xml).append_rows([["T2", "x"], ["T3"]])
    assert edit.last_used_before == 2 and edit.last_row_after == 4
    assert '<row r="3" s="4" customFormat="1" ht="20" customHeight="1">' in edit.text
    assert edit.text.count('<row r="3"') == 1 and edit.text.count('<row r="4"') == 1  # no duplicate rows
    assert '<c r="A3" s="4" t="inlineStr">' in edit.text  # the row's own format, as Excel does
    assert read_back(edit.text) == [["ID", None], ["T1", None], ["T2", "x"], ["T3", None]]
    assert '<dimension ref="A1:B4"/>' in edit.text


def test_other_bytes_are_left_exactly_as_they_were():
    before = '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/></sheetView></sheetViews>'
    after = '<mergeCells count="1"><mergeCell ref="D1:E1"/></mergeCells><extLst><ext uri="{x}"><x14:foo xmlns:x14="y"/></ext></extLst>'
    rows = f'<row r="1" spans="1:2" x14ac:dyDescent="0.25">{cell("A1", "ID")}<c r="B1" s="3"><f>1+1</f><v>2</v></c></row>'
    xml = sheet(rows, before='<dimension ref="A1:B1"/>' + before, after=after)
    edit = WorksheetXml(xml).append_rows([["T1"]])
    assert edit.text.startswith(xml[: xml.index("<sheetData>")].replace("A1:B1", "A1:B2"))
    assert edit.text.endswith(xml[xml.index("</sheetData>"):])
    assert rows in edit.text


def test_set_cells_replaces_values_keeps_the_cells_style_and_orders_cells():
    xml = sheet(f'<row r="1">{cell("A1", "ID")}{cell("C1", "Statut")}</row>'
                f'<row r="2" spans="1:3">{cell("A2", "D1")}<c r="C2" s="7" t="s"><v>0</v></c></row>')
    edit = WorksheetXml(xml).set_cells({(2, 3): "trouvée", (2, 2): "B", (2, 5): "E", (1, 5): "Notes"})
    assert '<c r="C2" s="7" t="inlineStr"><is><t xml:space="preserve">trouvée</t></is></c>' in edit.text
    assert 'spans="1:5"' in edit.text
    assert read_back(edit.text) == [["ID", None, "Statut", None, "Notes"], ["D1", "B", "trouvée", None, "E"]]


def test_text_is_escaped_and_never_a_formula():
    values = ["=1+1", "a < b & c > d", "_x0041_ reste tel quel", "  espaces  ", "ligne 1\nligne 2", "\x00\x0bsale"]
    edit = WorksheetXml(sheet("")).append_rows([values])
    assert "<f>" not in edit.text
    assert [cell_text(v) for v in read_back(edit.text)[0]] == [
        "=1+1", "a < b & c > d", "_x0041_ reste tel quel", "espaces", "ligne 1\nligne 2", "sale"]
    assert '<t xml:space="preserve">  espaces  </t>' in edit.text


def test_empty_sheet_data_and_a_prefixed_namespace():
    empty = WorksheetXml(f'<worksheet {MAIN}><dimension ref="A1"/><sheetData/></worksheet>').append_rows([["a", "b"]])
    assert '<sheetData><row r="1">' in empty.text and '<dimension ref="A1:B1"/>' in empty.text
    prefixed = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
                '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>')
    edit = WorksheetXml(prefixed).append_rows([["T1"]])
    assert '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t xml:space="preserve">T1</x:t></x:is></x:c></x:row>' in edit.text


def test_rows_and_cells_without_numbers_are_numbered_before_inserting():
    xml = sheet(f'<row>{cell("A1", "ID")}</row><row><c t="inlineStr"><is><t>T1</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>')
    edit = WorksheetXml(xml).set_cells({(2, 3): "y", (4, 1): "T3"})
    assert read_back(edit.text) == [["ID", None, None], ["T1", "x", "y"], [None, None, None], ["T3", None, None]]


def test_a_formula_is_never_overwritten():
    xml = sheet(f'<row r="1">{cell("A1", "ID")}<c r="B1"><f>A1</f><v>ID</v></c></row>')
    with pytest.raises(SheetEditError, match="B1 contient une formule"):
        WorksheetXml(xml).set_cells({(1, 2): "x"})


def test_a_chart_sheet_or_a_broken_part_is_refused():
    with pytest.raises(SheetEditError):
        WorksheetXml('<chartsheet xmlns="x"><drawing/></chartsheet>')
    with pytest.raises(SheetEditError, match="désordre"):
        WorksheetXml(sheet(f'<row r="3">{cell("A3", "a")}</row><row r="2">{cell("A2", "b")}</row>')).set_cells({(4, 1): "c"})


def test_a_large_sheet_is_appended_to_from_its_end_with_the_same_result():
    rows = "".join(f'<row r="{n}">{cell(f"A{n}", f"T{n}")}</row>' for n in range(1, 2001))
    xml = sheet(rows + '<row r="2001" s="2" customFormat="1"/>')
    from_end = WorksheetXml(xml).append_rows([["new"]])
    whole = WorksheetXml(xml)
    whole._tail = lambda: None  # the whole sheet parsed instead
    assert from_end.text == whole.append_rows([["new"]]).text
    assert '<row r="2001" s="2" customFormat="1"><c r="A2001" s="2" t="inlineStr">' in from_end.text


def test_formulas_without_results_are_found():
    xml = sheet('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f>"x"</f><v/></c>'
                '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1"><f>A1</f></c></row>')
    assert WorksheetXml(xml).formulas_without_result() == [(1, 2), (1, 4)]


def test_filter_and_table_ranges_follow_appended_rows_only_when_they_cover_all_data():
    assert extend_range_rows("A1:T4", 4, 6) == "A1:T6"
    assert extend_range_rows("A1:T3", 4, 6) is None  # the clerk filters only part of it
    assert extend_range_rows("A1:T10", 4, 6) is None  # already covers the new rows
    text, ref = extend_autofilter(sheet("", after='<autoFilter ref="A1:C4"/>'), "", 4, 5)
    assert ref == "A1:C5" and '<autoFilter ref="A1:C5"/>' in text


def test_a_package_that_is_not_a_workbook_is_a_french_error():
    from comobi.storage.port import StorageError

    with pytest.raises(StorageError, match="illisible"):
        Package(b"PK\x03\x04 not really", "x.xlsx")


EXCEL_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xr:uid="{00000000-0001-0000-0000-000000000000}">'
    '<dimension ref="A1:C2"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><cols><col min="2" max="2" width="20" style="3" customWidth="1"/></cols>'
    '<sheetData><row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2" spans="1:3" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>2</v></c><c r="C2"><f>LEN(A2)</f><v>5</v></c></row>'
    '</sheetData><autoFilter ref="A1:C2" xr:uid="{1}"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list">'
    '<x14:formula1><xm:f>Listes!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B2:B500</xm:sqref></x14:dataValidation>'
    '</x14:dataValidations></ext></extLst></worksheet>')


def test_an_excel_sheet_keeps_its_extensions_and_new_cells_take_the_column_style():
    xml = WorksheetXml(EXCEL_SHEET)
    edit = xml.append_rows([["T2", "Figeac"]])
    text, ref = extend_autofilter(edit.text, xml.p, edit.last_used_before, edit.last_row_after)
    assert ref == "A1:C3" and '<autoFilter ref="A1:C3" xr:uid="{1}"/>' in text
    assert '<c r="B3" s="3" t="inlineStr">' in text  # the column's style, as Excel gives a new cell
    before_rows, after_rows = EXCEL_SHEET.split("<sheetData>"), text.split("<sheetData>")
    assert after_rows[0] == before_rows[0].replace('<dimension ref="A1:C2"/>', '<dimension ref="A1:C3"/>')
    assert after_rows[1].split("</sheetData>")[1] == before_rows[1].split("</sheetData>")[1].replace("A1:C2", "A1:C3")
    assert '<c r="C2"><f>LEN(A2)</f><v>5</v></c>' in text


def test_alignment_finds_columns_by_header_and_rows_by_content_or_refuses():
    from comobi.storage.xlsx_align import Alignment, Moved, fingerprint

    then = [["ID", "Statut"], ["T1", "publié"], ["T2", "publié"], ["T1", "publié"]]
    now = [["Suivi", "ID", "Statut"], ["", "T0", "x"], ["", "T2", "publié"], ["", "T1", "publié"], ["", "T1", "publié"]]
    alignment = Alignment(then[0], [fingerprint(r) for r in then], now, "Trajets")
    assert alignment.cells([(3, 2, "archivé"), (1, 3, "Notes")]) == [(3, 3, "archivé"), (1, 4, "Notes")]
    assert alignment.rows([["T9", "publié"]]) == [["", "T9", "publié"]]
    with pytest.raises(Moved, match="ligne 2"):  # two rows hold what row 2 held: which one?
        alignment.cells([(2, 2, "archivé")])
