"""A consistent online backup of the database (SQLite's backup API, or pg_dump)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL


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
        # the password goes through the environment: argv is visible in the process list
        password = url.password or ""
        libpq = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                           database=url.database, query=url.query
                           ).render_as_string(hide_password=False)
        env = {**os.environ, "PGPASSWORD": str(password)} if password else dict(os.environ)
        done = subprocess.run(["pg_dump", "--format=custom", f"--file={target}", libpq],
                              capture_output=True, env=env, check=False)
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"pg_dump dừng với mã {done.returncode}"
                               + (f": {detail[-1]}" if detail else ""))
        return target
    raise RuntimeError(f"chưa hỗ trợ sao lưu {url.get_backend_name()}")
