"""Alembic environment: runs on the connection the planner hands over (see persistence.database)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

from planner.persistence.tables import metadata

config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    # Batch mode (copy and rebuild a table) is for SQLite, whose ALTER TABLE does little;
    # PostgreSQL alters its tables in place.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if isinstance(connection, Engine):
    with connection.begin() as conn:
        _run(conn)
elif isinstance(connection, Connection):
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url or pass a connection in config.attributes")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
