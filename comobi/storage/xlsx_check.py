"""What ``flask sheet check`` says about the local workbook file itself, in French.

Formulas saved without their result (the app would read them as empty), tabs the app could
not write into without damage (each write tried in memory, nothing saved), the file open in
LibreOffice or Excel, and where the backups are.
"""
from __future__ import annotations

import os

from openpyxl.utils.cell import get_column_letter

from comobi.schema import TABS, find_tab_title
from comobi.storage.port import StorageError
from comobi.storage.xlsx_package import Package, new_worksheet_xml
from comobi.storage.xlsx_sheet import WorksheetXml


def formulas_without_result(package: Package) -> list[tuple[str, int, str]]:
    """(tab, row, cell) of every formula saved without its result."""
    found = []
    for sheet in package.sheets:
        if sheet.path and package.has(sheet.path):
            xml = WorksheetXml(package.text(sheet.path), f"L'onglet « {sheet.title} »")
            found += [(sheet.title, row, f"{get_column_letter(column)}{row}")
                      for row, column in xml.formulas_without_result()]
    return found


def report(workbook) -> tuple[list[str], list[str]]:
    """(problems, notes) about ``workbook``, a LocalSpreadsheet."""
    problems = []
    try:
        for title, row, cell in workbook.formulas_without_result():
            problems.append(f"À corriger : « {title} », ligne {row} : la formule de la cellule {cell} n'a pas "
                            "de résultat enregistré (l'application la lit vide) ; ouvrez le classeur dans "
                            "LibreOffice ou Excel et enregistrez-le.")
    except StorageError as error:
        problems.append(f"ERREUR : {error}")
    problems += [f"ERREUR : {reason}" for reason in unwritable(workbook)]
    open_elsewhere = workbook.open_elsewhere()
    if open_elsewhere:
        problems.append(f"Attention : {open_elsewhere}")
    folder_problem = backup_folder_problem(workbook.backups.folder)
    if folder_problem:
        problems.append(f"ERREUR : {folder_problem}")
    elif workbook.backup_error:
        problems.append(f"ERREUR : la dernière sauvegarde du classeur a échoué ({workbook.backup_error}).")
    try:
        notes = [workbook.backups.describe()]
    except OSError as error:
        notes = [f"Sauvegardes du classeur illisibles dans {workbook.backups.folder} : {error.strerror or error}."]
    return problems, notes


def unwritable(workbook) -> list[str]:
    """Why the app would refuse to write into each of its tabs."""
    try:
        package = Package(workbook.read_bytes(), workbook.path.name)
    except StorageError as error:
        return [str(error)]
    reasons = []
    titles = [sheet.title for sheet in package.sheets]
    for tab in TABS:
        title = find_tab_title(titles, tab)
        try:
            if title is None:
                package.add_sheet(tab.title, new_worksheet_xml(tab.headers))
            else:
                workbook.worksheet(package, package.sheet(title)).append_rows([["x"]])
        except StorageError as error:
            reasons.append(f"l'application ne peut pas écrire dans l'onglet « {title or tab.title} » : {error}")
    return reasons


def backup_folder_problem(folder) -> str | None:
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and (not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK)):
        return (f"les sauvegardes du classeur ne peuvent pas être écrites dans {folder} "
                f"({existing} n'est pas un dossier où l'application peut écrire).")
    return None
