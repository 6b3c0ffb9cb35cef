"""What each way of writing into a clerk's .xlsx keeps, and what appending a row costs.

    python -m bench.xlsx_keep [--trips 10000] [--rounds 5]

1. Features: a clerk-like workbook (``bench/clerk_workbook.py``: formulas with results,
   picture, chart, drop-down, comments, conditional formatting, named range, filter,
   widths, panes, tabs of her own) gets one row appended by each approach; the
   inventory before and after says what was lost:
   - openpyxl, whole workbook loaded and saved (the adapter before), with and without Pillow;
   - openpyxl loaded with ``data_only`` (results kept, formulas replaced by their values);
   - the worksheet part edited inside the zip (``comobi/storage/local.py`` now);
   - LibreOffice headless opening and saving the file (to recalculate), when installed.
2. Speed: appending one row to the synthetic 10k-trip workbook (``bench/generate.py``),
   by the adapter alone and through ``Storage.add_row`` (which reads the tab first).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import openpyxl

from bench import common
from bench.clerk_workbook import inventory, lost, write_clerk_workbook
from comobi.schema import TRIPS
from comobi.settings import SETTINGS
from comobi.storage.local import LocalSpreadsheet
from comobi.storage.service import Storage

ROW = ["T9999", "", "Paul", "", "06 39 98 00 09", "", "", "Oui", "Gramat", "", "Figeac", "", "mardi", "", "9h"]


def openpyxl_save(path: Path, data_only: bool = False, pillow: bool = True) -> None:
    import openpyxl.reader.drawings as drawings

    kept = drawings.PILImage
    if not pillow:
        drawings.PILImage = False  # as on a server without Pillow: openpyxl drops pictures
    try:
        book = openpyxl.load_workbook(path, data_only=data_only)
    finally:
        drawings.PILImage = kept
    sheet = book["Trajets"]
    row = sheet.max_row + 1
    for column, value in enumerate(ROW, start=1):
        if value:
            sheet.cell(row, column, value).data_type = "s"
    book.save(path)


def xml_part(path: Path) -> None:
    LocalSpreadsheet(path, backups=path.parent / "sauvegardes").append_rows("Trajets", [ROW])


def libreoffice(path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    out = path.parent / "lo"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(path.parent / 'p').as_uri()}",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True, capture_output=True)
    shutil.move(out / path.name, path)


APPROACHES = {
    "openpyxl, whole workbook saved, without Pillow": lambda p: openpyxl_save(p, pillow=False),
    "openpyxl, whole workbook saved, with Pillow": openpyxl_save,
    "openpyxl with data_only, whole workbook saved": lambda p: openpyxl_save(p, data_only=True),
    "worksheet part edited in the zip (comobi/storage/local.py)": xml_part,
    "LibreOffice headless opens and saves it": libreoffice,
}


def features(folder: Path, libreoffice_too: bool = True) -> dict[str, dict]:
    """Each approach -> what it lost; printed as a Markdown table."""
    print("| approach | lost after appending one row |\n|---|---|")
    results = {}
    for name, approach in APPROACHES.items():
        if "LibreOffice" in name and not (libreoffice_too and (shutil.which("soffice") or shutil.which("libreoffice"))):
            print(f"| {name} | (LibreOffice not installed or not asked for) |")
            continue
        work = folder / name.split()[0].replace(",", "")
        work.mkdir(parents=True, exist_ok=True)
        path = write_clerk_workbook(work / "classeur.xlsx")
        before = inventory(path)
        approach(path)
        results[name] = lost(before, inventory(path))
        print(f"| {name} | {describe(results[name])} |")
    return results


def describe(differences: dict) -> str:
    if not differences:
        return "nothing"
    parts = []
    for kind, change in differences.items():
        if kind == "formulas":
            no_result = sum(1 for was, now in change.values() if now is not None and now[1] is None)
            replaced = sum(1 for was, now in change.values() if now is None)
            parts.append(f"formulas: {no_result} results dropped" if no_result
                         else f"formulas: {replaced} replaced by values")
        elif kind == "pictures":
            parts.append(f"pictures {change[0]} → {change[1]}")
        else:
            parts.append(kind)
    return "; ".join(parts)


def speed(source: Path, rounds: int, folder: Path) -> dict[str, float]:
    print(f"\nAppending one row to {source.name} ({source.stat().st_size / 1e6:.1f} MB), median of {rounds}:")
    timings = {}
    path = folder / "speed.xlsx"
    for name, run in {
        "adapter before (openpyxl load + save)": lambda: openpyxl_save(path),
        "adapter now (worksheet part edited, with backup)": lambda: xml_part(path),
        "Storage.add_row now (fresh read of the tab + append)": lambda: Storage(
            LocalSpreadsheet(path, backups=folder / "sauvegardes"), {s.key: s.default for s in SETTINGS}
        ).add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac", "days": "mardi"}, "T"),
    }.items():
        shutil.copy(source, path)
        times = []
        for _ in range(rounds if "before" not in name else max(1, rounds // 2)):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        timings[name] = statistics.median(times)
        print(f"  {name}: {timings[name]:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    return timings


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=10_000)
    parser.add_argument("--workbook", type=Path, action="append", help="measure the append on this workbook")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice approach")
    args = parser.parse_args(argv)
    print(common.machine())
    with tempfile.TemporaryDirectory(prefix="xlsx-keep-") as folder:
        results = {"lost": features(Path(folder), libreoffice_too=not args.no_libreoffice), "speed": {}}
        for source in args.workbook or [common.workbook(args.trips)]:
            results["speed"][str(source)] = speed(Path(source), args.rounds, Path(folder))
    return results


if __name__ == "__main__":
    main()
