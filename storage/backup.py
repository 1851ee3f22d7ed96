"""A consistent online backup of the database (SQLite's backup API, or pg_dump)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url


def backup(engine: Engine, target: Path) -> Path:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        raw = engine.raw_connection()
        try:
            dest = sqlite3.connect(str(target))
            try:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            finally:
                dest.close()
        finally:
            raw.close()
        return target
    if url.get_backend_name() == "postgresql":
        if shutil.which("pg_dump") is None:
            raise RuntimeError("không tìm thấy pg_dump (cài gói postgresql-client)")
        libpq = make_url(str(url.render_as_string(hide_password=False))).set(
            drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_dump", "--format=custom", f"--file={target}", libpq], check=True,
                       capture_output=True)
        return target
    raise RuntimeError(f"chưa hỗ trợ sao lưu {url.get_backend_name()}")
