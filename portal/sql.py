"""Portable SQL statements the ORM does not spell the same on every database."""

from portal.extensions import db


def insert_ignoring_conflict(model, values: dict, keys: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike.

    Safe against a concurrent insert of the same key: the loser simply inserts
    nothing, with no exception and no aborted transaction.

    :returns: whether this call inserted the row.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    result = db.session.execute(
        insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    )
    return result.rowcount == 1
