"""Core statements sent straight to the database driver, for the busiest requests of a room.

Three hundred phones send hundreds of board polls and card posts a second, each a few small
statements. Around such a statement SQLAlchemy's execution pipeline (compiled cache, parameter
and result processing, events) costs more than SQLite needs to run it. A DriverStatement is
compiled by SQLAlchemy once per dialect and then handed to the driver: the SQL is SQLAlchemy's,
and values go through the column types' own bind processors, so what is stored is what
SQLAlchemy would store. Rows come back as the driver's tuples, unprocessed. The driver opens
its transaction by itself; commit and roll back with the functions below. SQLAlchemy's events
and its SQL echo do not see these statements.
"""

from weakref import WeakKeyDictionary

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement


class DriverStatement:
    """A Core statement compiled once per dialect and run on the driver's own connection."""

    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._compiled: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def execute(self, connection: Connection, values: dict):
        """Run with `values` (by bind name) on the driver behind `connection`; return its cursor."""
        compiled = self._compiled.get(connection.dialect)
        if compiled is None:
            dialect = connection.dialect
            compiled = self._compiled[dialect] = _Compiled(self.statement, dialect)
        return driver(connection).execute(compiled.sql, compiled.parameters(values))


class _Compiled:
    """The SQL of a statement for one dialect, and how to turn values into its parameters."""

    def __init__(self, statement: ClauseElement, dialect: Dialect):
        self.compiled = statement.compile(dialect=dialect)
        if self.compiled.post_compile_params or self.compiled.literal_execute_params:
            # An expanding IN is rewritten per execution by SQLAlchemy; run it there.
            raise ValueError("a statement with expanding parameters needs SQLAlchemy's execute")
        self.sql = self.compiled.string
        # Positional drivers (SQLite's "?") take a tuple in this order, named ones a dict.
        self.positions = self.compiled.positiontup
        # The statement's own values, such as the 1 in "revision + 1"; the caller's go on top.
        required = {bind.key: None for bind in self.compiled.binds.values() if bind.required}
        self.own_values = self.compiled.construct_params(required)
        self.processors = {}
        for name, bind in self.compiled.binds.items():
            # The dialect's own type (SQLite's DATETIME) knows how values are stored.
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor

    def parameters(self, values: dict):
        parameters = {**self.own_values, **values}
        for name, processor in self.processors.items():
            parameters[name] = processor(parameters[name])
        if self.positions is None:
            return parameters
        return tuple(parameters[name] for name in self.positions)


def driver(connection: Connection):
    """Return the driver's connection (sqlite3, psycopg) behind a SQLAlchemy Connection."""
    return connection.connection.driver_connection


def commit(connection: Connection) -> None:
    """Commit what DriverStatements wrote on this connection."""
    driver(connection).commit()


def rollback(connection: Connection) -> None:
    """Roll back what DriverStatements wrote on this connection."""
    driver(connection).rollback()


def integrity_error(connection: Connection) -> type[Exception]:
    """Return the driver's IntegrityError, which a DriverStatement raises for a taken key."""
    return connection.dialect.loaded_dbapi.IntegrityError
