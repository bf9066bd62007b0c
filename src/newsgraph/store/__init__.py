"""The store: a SQL database (SQLite by default, PostgreSQL by URL) holding the linked records."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import Msg, NewsgraphError
from . import dialects
from .queries import Queries
from .schema import link_state
from .writer import StoreWriter

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_DB = "newsgraph.db"


class StoreError(NewsgraphError):
    pass


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


class Store:
    """One database: `migrate()` brings its schema to the newest revision, `writer` writes, `queries` reads."""

    def __init__(self, url: str | Path = DEFAULT_DB, *, engine: Engine | None = None) -> None:
        self.url = dialects.normalise_url(url)
        try:
            self.engine = engine or create_engine(self.url, **dialects.pool_kwargs(self.url), **dialects.for_name(
                self.url.split(":", 1)[0].split("+", 1)[0]).engine_kwargs())
        except (SQLAlchemyError, ValueError, ModuleNotFoundError) as exc:
            raise StoreError(Msg.NG401, url=_safe(self.url), detail=exc) from exc
        self.dialect: ModuleType = dialects.for_name(self.engine.dialect.name)
        self.dialect.configure(self.engine)
        self.queries = Queries(self.engine, self.dialect)
        self.writer = StoreWriter(self.engine)

    def migrate(self) -> Store:
        """Create or upgrade the schema (Alembic migrations shipped in the package)."""
        try:
            with self.engine.begin() as conn:
                if self.revision_of(conn) == self.head():
                    return self
                if self.engine.dialect.name == "postgresql":  # two processes opening a new store: one migrates
                    self.dialect.lock_writers(conn)
                    if self.revision_of(conn) == self.head():
                        return self
                config = alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise StoreError(Msg.NG401, url=_safe(self.url), detail=exc.__class__.__name__ + ": " +
                             str(exc.orig if hasattr(exc, "orig") else exc)) from exc
        return self

    @staticmethod
    def head() -> str | None:
        return ScriptDirectory(str(MIGRATIONS)).get_current_head()

    @staticmethod
    def revision_of(conn) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    def check(self) -> None:
        """Raise a coded error when the database has no (current) newsgraph schema."""
        try:
            with self.engine.connect() as conn:
                revision = self.revision_of(conn)
        except SQLAlchemyError as exc:
            raise StoreError(Msg.NG401, url=_safe(self.url), detail=exc) from exc
        if revision != self.head():
            raise StoreError(Msg.NG402, url=_safe(self.url), revision=revision, head=self.head())

    def load_state(self, name: str) -> object | None:
        with self.engine.connect() as conn:
            return conn.execute(select(link_state.c.state).where(link_state.c.name == name)).scalar()

    def save_state(self, name: str, state: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(link_state).where(link_state.c.name == name))
            conn.execute(insert(link_state).values(name=name, state=state))

    def close(self) -> None:
        self.engine.dispose()


def _safe(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url


def open_store(url: str | Path = DEFAULT_DB, *, migrate: bool = True) -> Store:
    """The store at `url`; without `migrate` (export, show) it must exist: SQLite would create an empty file."""
    store = Store(url)
    database = store.engine.url.database
    if (not migrate and store.engine.dialect.name == "sqlite" and database and database != ":memory:"
            and not database.startswith("file:") and not Path(database).exists()):
        store.close()
        raise StoreError(Msg.NG406, path=database)
    if migrate:
        store.migrate()
    else:
        store.check()
    return store


__all__ = ["DEFAULT_DB", "Store", "StoreError", "StoreWriter", "open_store"]
