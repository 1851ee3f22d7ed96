"""The one error every import raises: it names the file, the row and the column."""

from __future__ import annotations

from pathlib import Path


class ImportFileError(ValueError):
    def __init__(self, file: str | Path, message: str, row: int | None = None,
                 column: str | None = None, table: int | None = None) -> None:
        self.file = Path(file).name
        self.row = row
        self.column = column
        self.table = table
        self.message = message
        where = [f"Tệp {self.file}"]
        if table is not None:
            where.append(f"bảng {table}")
        if row is not None:
            where.append(f"dòng {row}")
        if column:
            where.append(f"cột “{column}”")
        super().__init__(f"{', '.join(where)}: {message}")
