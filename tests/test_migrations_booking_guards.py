"""The booking-guards migration fills its new columns from the rows already there."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal.extensions import db
from tests.test_migrations import _empty_database

BEFORE = "5c1e0d9a7b21"
GUARDS = "d95d36868716"
NOW = "2026-11-20 10:00:00+00:00"


def _rows_before_the_guards(conn) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO property (id, slug, name, street, housenumber, postcode, city, lat, lon,"
            " time_zone, tagline, description, amenities, created_at, updated_at) VALUES"
            " (1, 'p', 'P', 'Street', '1', '00100', 'Helsinki', 60.1, 24.9, 'Europe/Helsinki',"
            " '', '', '[]', :now, :now)"
        ),
        {"now": NOW},
    )
    conn.execute(
        sa.text(
            "INSERT INTO tour_type (id, property_id, kind, name, description, duration_minutes,"
            " interval_minutes, buffer_before_minutes, buffer_after_minutes, min_notice_minutes,"
            " horizon_days, capacity, confirmation, hold_hours, active) VALUES"
            " (1, 1, 'guided', 'Guided', '', 30, 30, 0, 0, 0, 21, 1, 'instant', 24, :yes)"
        ),
        {"yes": True},
    )
    conn.execute(
        sa.text(
            "INSERT INTO prospect (id, email, name, phone, created_at, stage) VALUES"
            " (1, 'carol@example.com', '', '', :now, 'lead')"
        ),
        {"now": NOW},
    )
    conn.execute(
        sa.text(
            "INSERT INTO tour (id, token, uid, idempotency_key, property_id, tour_type_id,"
            " prospect_id, starts_at, ends_at, status, sequence, name, email, phone,"
            " contact_channel, priorities, priorities_note, created_at, updated_at) VALUES"
            " (1, 'tttttttttttttttttttttt', 'u1@doorstep', 'old-key-0000000000001', 1, 1, 1,"
            " '2026-11-25 10:00:00+00:00', '2026-11-25 10:30:00+00:00', 'confirmed', 0,"
            " 'Carol', ' Carol@Example.com', '', 'email', '[]', '', :now, :now)"
        ),
        {"now": NOW},
    )
    conn.execute(
        sa.text(
            "INSERT INTO outbox_email (id, kind, to_address, subject, text_body, attachments,"
            " headers, status, attempts, created_at, next_attempt_at) VALUES"
            " (1, 'tour_confirmed', 'Carol@Example.com', 'S', 'T', '[]', '{}', 'sent', 1,"
            " :now, :now)"
        ),
        {"now": NOW},
    )


def test_upgrade_normalises_existing_addresses_and_keeps_what_was_typed(tmp_path, app_factory):
    """Old tours and mail get their normalised address; properties start "capped"."""
    with _empty_database(tmp_path) as url:
        app = app_factory(url)
        with app.app_context():
            upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                _rows_before_the_guards(conn)
            upgrade(revision=GUARDS)
            with db.engine.connect() as conn:
                tour = conn.execute(
                    sa.text("SELECT email, email_normalised, email_confirmed_at FROM tour")
                ).one()
                mail = conn.execute(
                    sa.text("SELECT to_address, to_normalised FROM outbox_email")
                ).one()
                mode = conn.execute(sa.text("SELECT unverified_instant FROM property")).scalar()
            assert tour[:2] == (" Carol@Example.com", "carol@example.com")
            assert tour[2] is not None  # booked under the old rules: counts as confirmed
            assert tuple(mail) == ("Carol@Example.com", "carol@example.com")
            assert mode == "capped"
            downgrade(revision=BEFORE)
            with db.engine.connect() as conn:
                kept = conn.execute(sa.text("SELECT idempotency_key FROM tour")).scalar()
            assert kept == "old-key-0000000000001"
            db.engine.dispose()
