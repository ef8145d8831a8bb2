"""Portable SQL statements the ORM does not spell the same on every database."""

import sqlalchemy as sa

from portal.extensions import db


def insert_ignoring_conflict(model, values: dict, keys: list[str], *, session=None) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike.

    Safe against a concurrent insert of the same key: the loser simply inserts
    nothing, with no exception and no aborted transaction.

    :param session: the Session or Connection to run it in (default ``db.session``).
    :returns: whether this call inserted the row.
    """
    session = session or db.session
    bind = session if isinstance(session, sa.Connection) else session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    result = session.execute(
        insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    )
    return result.rowcount == 1
