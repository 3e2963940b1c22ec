"""Alembic environment: runs against the engine handed over by `engine.upgrade` (never a config file)."""

from __future__ import annotations

from alembic import context

from neuromotrix.adapters.db.tables import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    connection.info["write"] = True
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("metadata", metadata),
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
