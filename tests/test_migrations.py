"""Migrations are code: one head, and upgrading an empty database yields the models' schema."""

import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from portal.extensions import db
from portal.models import include_search_index
from tests.conftest import POSTGRES_URL


def test_single_head(app):
    """Branches are merged: there is exactly one head revision."""
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


@contextmanager
def _empty_database(tmp_path):
    """An empty database of the kind under test, dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    name = f"portal_migrate_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_from_empty_matches_models(tmp_path, app_factory):
    """`flask db upgrade` on an empty database creates exactly what the models declare."""
    with _empty_database(tmp_path) as url:
        app = app_factory(url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn,
                    opts={
                        "compare_type": True,
                        "render_as_batch": True,
                        # The search index is DDL of its own (portal.models.prospect_search).
                        "include_object": include_search_index,
                    },
                )
                diff = compare_metadata(context, db.metadata)
            db.engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_up_again(tmp_path, app_factory):
    """Every migration can be undone, so a bad deploy can be rolled back."""
    from flask_migrate import downgrade

    with _empty_database(tmp_path) as url:
        app = app_factory(url)
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert tables == set()
            upgrade()
            assert "unit" in sa.inspect(db.engine).get_table_names()
            db.engine.dispose()


@pytest.mark.parametrize("table", ["property", "unit", "media", "staff_user", "prospect"])
def test_core_tables_exist(app, table):
    """The foundation's aggregates are all in the schema."""
    assert table in sa.inspect(db.engine).get_table_names()
