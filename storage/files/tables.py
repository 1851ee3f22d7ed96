"""Cells and tables from CSV and Excel files, shared by the plan and roster readers."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.files.errors import ImportFileError
from storage.textnorm import nfc

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and friends: never stored


def clean(value: Any) -> str:
    """A cell as text: NFC, line breaks inside cells joined, spaces collapsed."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", CONTROL.sub("", nfc(str(value)))).strip()


def csv_table(file: Path) -> list[list[str]]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFileError(file, "tệp CSV phải lưu bằng mã UTF-8") from err
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = "excel"
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as err:
        if "field larger" in str(err):
            raise ImportFileError(file, f"có ô dài quá {csv.field_size_limit():,} ký tự".replace(
                ",", ".")) from err
        raise ImportFileError(file, "tệp CSV hỏng (không đọc được các ô)") from err


def xlsx_sheets(file: Path) -> Iterator[list[list[Any]]]:
    """Every worksheet of an Excel file as a list of rows."""
    from openpyxl import load_workbook  # heavy, optional: loaded only for Excel files

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise ImportFileError(file, "không mở được tệp Excel (tệp hỏng hoặc sai định dạng)") \
            from err
    try:
        for sheet in book.worksheets:
            try:
                rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            except Exception as err:  # broken sheet XML surfaces only while reading rows
                raise ImportFileError(file, f"trang tính “{sheet.title}” bị hỏng, không đọc "
                                            "được") from err
            yield rows
    finally:
        book.close()


def xlsx_grids(file: Path) -> Iterator[list[list[str]]]:
    """Every worksheet as cleaned text, with each merged range's value copied into all its
    cells (an area title merged across, a unit merged down over several tasks)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise ImportFileError(file, "không mở được tệp Excel (tệp hỏng hoặc sai định dạng)") \
            from err
    for sheet in book.worksheets:
        grid = [[clean(c) for c in r] for r in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    if r < len(grid) and c < len(grid[r]):
                        grid[r][c] = value
        yield grid
