"""An .xlsx file as the zip package it is: find a tab's parts, replace a few, copy the rest.

No I/O either: a ``Package`` is built from the file's bytes and gives the bytes of the new
file. Every member not replaced is copied with its content, name, order, date and
compression unchanged. Small parts (workbook, relationships) are read with ElementTree
but only ever edited as text, so that their prefixes and extensions stay as written.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from comobi.storage.port import StorageError
from comobi.storage.xlsx_sheet import SheetEditError, extend_range_rows, xml_text

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = f"{_DOC_REL}/worksheet"
_TABLE_TYPE = f"{_DOC_REL}/table"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"


@dataclass(frozen=True)
class SheetPart:
    title: str
    index: int  # position among the workbook's sheets (localSheetId of defined names)
    path: str  # e.g. xl/worksheets/sheet1.xml


class Package:
    def __init__(self, data: bytes, name: str = "le classeur"):
        self.name = name
        self.replaced: dict[str, bytes] = {}
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self.infos = self._zip.infolist()
            self.workbook_path = self._workbook_path()
            self.sheets = self._sheets()
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError) as error:
            raise StorageError(f"Le classeur {name} est illisible (est-ce bien un fichier .xlsx ?).") from error

    # -- reading -----------------------------------------------------------------
    def read(self, path: str) -> bytes:
        if path in self.replaced:
            return self.replaced[path]
        return self._zip.read(path)

    def has(self, path: str) -> bool:
        return path in self.replaced or path in self._zip.NameToInfo

    def text(self, path: str) -> str:
        data = self.read(path)
        head = data[:100].decode("ascii", "replace").lower()
        encoding = re.search(r"encoding\s*=\s*[\"']([\w-]+)", head)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (encoding and encoding.group(1) not in ("utf-8", "utf8")):
            raise SheetEditError(f"{self.name} : la partie {path} n'est pas en UTF-8 ; "
                                 "enregistrez le classeur de nouveau depuis LibreOffice ou Excel.")
        return data.decode("utf-8-sig")

    def sheet(self, title: str) -> SheetPart:
        for part in self.sheets:
            if part.title == title:
                return part
        raise StorageError(f"L'onglet « {title} » est introuvable dans {self.name}.")

    def _workbook_path(self) -> str:
        root = ElementTree.fromstring(self._zip.read("_rels/.rels"))
        for rel in root.iter(f"{_RELS}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target").lstrip("/")
        raise KeyError("officeDocument")

    def _sheets(self) -> list[SheetPart]:
        workbook = ElementTree.fromstring(self.read(self.workbook_path))
        targets = self._targets(self.workbook_path)
        parts = []
        for index, sheet in enumerate(element for element in workbook.iter() if _local(element.tag) == "sheet"):
            rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), "")
            kind, target = targets.get(rel_id, ("", ""))
            parts.append(SheetPart(sheet.get("name", ""), index, target if kind == _WORKSHEET_TYPE else ""))
        return parts

    def _targets(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part path) of ``part``."""
        rels = rels_path(part)
        if rels not in self._zip.NameToInfo and rels not in self.replaced:
            return {}
        root = ElementTree.fromstring(self.read(rels))
        found = {}
        for rel in root.iter(f"{_RELS}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").replace("http://purl.oclc.org/ooxml/officeDocument/relationships",
                                               _DOC_REL)
            found[rel.get("Id")] = (kind, resolve(part, rel.get("Target", "")))
        return found

    def tables_of(self, sheet: SheetPart) -> list[str]:
        return [target for kind, target in self._targets(sheet.path).values() if kind == _TABLE_TYPE]

    # -- writing -----------------------------------------------------------------
    def replace(self, path: str, data: bytes) -> None:
        self.replaced[path] = data

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", allowZip64=True) as written:
            written.comment = self._zip.comment
            for info in self.infos:
                data = self.replaced.get(info.filename)
                data = data if data is not None else self._zip.read(info)
                written.writestr(_copy(info), data)
            known = {info.filename for info in self.infos}
            for path, data in self.replaced.items():
                if path not in known:
                    written.writestr(_new_info(path), data)
        return out.getvalue()

    # -- ranges that follow appended rows -------------------------------------------
    def follow_appended_rows(self, sheet: SheetPart, before: int, after: int, filter_ref: str | None) -> None:
        """Grow the tab's tables and its filter's hidden name over rows appended after ``before``."""
        for table in self.tables_of(sheet):
            text = self.text(table)
            if re.search(r"""totalsRowCount\s*=\s*["'][1-9]""", text):
                continue  # rows below a totals row are outside the table, as in Excel
            grown = _grow_refs(text, before, after)
            if grown != text:
                self.replace(table, grown.encode("utf-8"))
        if filter_ref is not None:
            self._grow_filter_name(sheet, before, after)

    def _grow_filter_name(self, sheet: SheetPart, before: int, after: int) -> None:
        text = self.text(self.workbook_path)
        pattern = re.compile(
            r"""(<(?:\w+:)?definedName\b[^>]*name\s*=\s*["']_xlnm\._FilterDatabase["'][^>]*>)([^<]*)(<)""")
        for match in pattern.finditer(text):
            if not re.search(rf"""localSheetId\s*=\s*["']{sheet.index}["']""", match.group(1)):
                continue
            target = match.group(2)
            ref = target.rsplit("!", 1)[-1]
            grown = extend_range_rows(ref.replace("$", ""), before, after)
            if grown is None:
                return
            first, last = grown.split(":")
            absolute = "${}${}:${}${}".format(*_split_ref(first), *_split_ref(last))
            new_target = target[: len(target) - len(ref)] + absolute
            text = text[: match.start(2)] + new_target + text[match.end(2):]
            self.replace(self.workbook_path, text.encode("utf-8"))
            return

    # -- a new tab in an existing workbook --------------------------------------------
    def add_sheet(self, title: str, worksheet_xml: str) -> None:
        """Add a tab at the end: its part, its relationship, its content type, its entry."""
        number = 1
        while self.has(f"xl/worksheets/sheet{number}.xml"):
            number += 1
        folder = posixpath.dirname(self.workbook_path)
        path = posixpath.join(folder, "worksheets", f"sheet{number}.xml") if folder else f"worksheets/sheet{number}.xml"
        rel_id = self._add_relationship(path)
        self._add_content_type(path)
        self._add_sheet_entry(title, rel_id)
        self.replace(path, worksheet_xml.encode("utf-8"))
        self.sheets = self._sheets()

    def _add_relationship(self, path: str) -> str:
        rels = rels_path(self.workbook_path)
        text = self.text(rels)
        taken = set(re.findall(r"""\sId\s*=\s*["']([^"']+)["']""", text))
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        rel_id = f"rId{number}"
        target = posixpath.relpath(path, posixpath.dirname(self.workbook_path) or ".")
        element = f'<Relationship Id="{rel_id}" Type="{_WORKSHEET_TYPE}" Target="{target}"/>'
        self.replace(rels, _insert_before_close(text, "Relationships", element).encode("utf-8"))
        return rel_id

    def _add_content_type(self, path: str) -> None:
        text = self.text("[Content_Types].xml")
        element = f'<Override PartName="/{path}" ContentType="{_WORKSHEET_CONTENT}"/>'
        self.replace("[Content_Types].xml", _insert_before_close(text, "Types", element).encode("utf-8"))

    def _add_sheet_entry(self, title: str, rel_id: str) -> None:
        text = self.text(self.workbook_path)
        if _STRICT_MAIN in text:
            raise SheetEditError(f"{self.name} est au format « Strict Open XML » : enregistrez-le au format "
                                 "Excel 2007-365 ordinaire pour que l'application puisse y ajouter un onglet.")
        ids = [int(i) for i in re.findall(r"""<(?:\w+:)?sheet\b[^>]*\ssheetId\s*=\s*["'](\d+)["']""", text)]
        sheets = re.search(r"<((?:\w+:)?)sheets\b", text)
        if sheets is None:
            raise SheetEditError(f"{self.name} : la liste des onglets est illisible.")
        prefix = sheets.group(1)
        declaration = "" if f'xmlns:r="{_DOC_REL}"' in text else f' xmlns:r="{_DOC_REL}"'
        name = xml_text(title).replace('"', "&quot;")
        element = (f'<{prefix}sheet name="{name}" sheetId="{max(ids, default=0) + 1}" '
                   f'r:id="{rel_id}"{declaration}/>')
        self.replace(self.workbook_path, _insert_before_close(text, f"{prefix}sheets", element).encode("utf-8"))


def new_worksheet_xml(headers: list[str]) -> str:
    cells = "".join(
        f'<c r="{_column(i)}1" t="inlineStr"><is><t xml:space="preserve">{xml_text(h)}</t></is></c>'
        for i, h in enumerate(headers, start=1))
    row = f'<row r="1">{cells}</row>' if headers else ""
    dimension = f"A1:{_column(len(headers))}1" if headers else "A1"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><dimension ref="{dimension}"/>'
            f'<sheetData>{row}</sheetData></worksheet>')


def _column(index: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index)


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _split_ref(ref: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return match.group(1), match.group(2)


def _grow_refs(text: str, before: int, after: int) -> str:
    """A table part whose ``ref`` (and its autoFilter's) ends at the last row of data, grown."""
    def grow(match):
        grown = extend_range_rows(match.group(2), before, after)
        return match.group(1) + (grown or match.group(2)) + match.group(3)

    return re.sub(r"""(<(?:\w+:)?(?:table|autoFilter)\b[^>]*?\sref\s*=\s*["'])([^"']*)(["'])""", grow, text)


def _insert_before_close(text: str, element: str, insert: str) -> str:
    close = f"</{element}>"
    at = text.rfind(close)
    if at == -1:
        empty = re.search(rf"<{re.escape(element)}\b([^>]*)/>", text)
        if empty is None:
            raise SheetEditError(f"Élément {element} introuvable : classeur abîmé ?")
        return f"{text[:empty.start()]}<{element}{empty.group(1)}>{insert}{close}{text[empty.end():]}"
    return text[:at] + insert + text[at:]


def _copy(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    copy.comment = info.comment
    copy.extra = b""  # zip64 and timestamps extras are rebuilt by zipfile
    return copy


def _new_info(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
