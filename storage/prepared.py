"""Statements on every status reply's path, run on the driver's own cursor.

SQLAlchemy's execution bookkeeping costs several times what SQLite does for a one-row
read or write: a status reply spent about 40 % of its time there. A `Prepared` statement
is a Core statement compiled once per dialect; it runs on the session's connection (the
same transaction), its values converted by SQLAlchemy's own type processors both ways,
so what is stored and read back is exactly what the ORM stores and reads.

Only for statements with a fixed set of plain bound values (no expanding IN lists, no
defaults left to fill: every column is given).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ClauseElement
from sqlmodel import Session


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the bound values, in the order a positional driver takes them
    positional: bool
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]  # values that need converting
    fixed: tuple[tuple[str, Any], ...]  # values written into the statement itself
    returns: bool  # selects or returns rows
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # columns that need converting


class Prepared:
    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        # by dialect object: an engine's driver, paramstyle and JSON serializer are its own
        self._compiled: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect)
        if found is None:
            found = self._compiled[dialect] = _compile(self.statement, dialect)
        return found

    def execute(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run with one set of values; the rows it selects or returns (none for a write)."""
        connection = session.connection()
        c = self._for(connection.dialect)
        with _cursor(connection, c.sql) as cursor:
            cursor.execute(c.sql, _values(c, params))
            if not c.returns:
                return []
            out = []
            for row in cursor.fetchall():
                values = list(row)
                for i, convert in c.results:
                    values[i] = convert(values[i])
                out.append(tuple(values))
            return out

    def execute_many(self, session: Session, params: Sequence[Mapping[str, Any]]) -> None:
        """Run a write once for each set of values, in one call to the driver."""
        if not params:
            return
        connection = session.connection()
        c = self._for(connection.dialect)
        if c.returns:
            raise ValueError("a statement that returns rows runs one set of values at a time")
        with _cursor(connection, c.sql) as cursor:
            cursor.executemany(c.sql, [_values(c, p) for p in params])


@contextmanager
def _cursor(connection: Connection, sql: str) -> Iterator[Any]:
    """The driver's cursor on *connection*; its errors raised as SQLAlchemy raises them
    (a locked or lost database is an `OperationalError`, which the inbox retries without
    counting an attempt), and a lost connection invalidated, as SQLAlchemy would."""
    dialect = connection.dialect
    cursor = connection.connection.cursor()
    try:
        yield cursor
    except dialect.loaded_dbapi.Error as err:
        lost = dialect.is_disconnect(err, connection.connection.dbapi_connection, cursor)
        if lost:
            connection.invalidate(err)
        raise DBAPIError.instance(sql, None, err, dialect.loaded_dbapi.Error,
                                  connection_invalidated=lost, dialect=dialect) from err
    finally:
        if not connection.invalidated:
            cursor.close()


def _values(c: _Compiled, params: Mapping[str, Any]) -> Any:
    values = {**dict(c.fixed), **params} if c.fixed else dict(params)
    for name, convert in c.binds:
        values[name] = convert(values[name])
    return [values[n] for n in c.names] if c.positional else values


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    names: Sequence[str] = compiled.positiontup or list(compiled.bind_names.values())
    binds, fixed = [], []
    for bind, name in compiled.bind_names.items():
        if bind.expanding:
            raise ValueError(f"{name}: expanding values are not supported here")
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            binds.append((name, convert))
        if not bind.required:  # a value given in the statement, such as .values(x=0)
            fixed.append((name, bind.effective_value))
    columns: Any = ()
    if isinstance(statement, Select):
        columns = statement.selected_columns
    elif isinstance(statement, UpdateBase):
        columns = statement.exported_columns  # RETURNING
    processors = [c.type.dialect_impl(dialect).result_processor(dialect, None)
                  for c in columns]
    results = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    return _Compiled(compiled.string, tuple(names), bool(compiled.positional), tuple(binds),
                     tuple(fixed), bool(processors), results)
