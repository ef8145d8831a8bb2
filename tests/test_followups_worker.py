"""`flask followups run`: one pass plans, hands over, delivers over SMTP and marks sent;
`--now` sets the clock; with REDIS_URL the same pass runs as an RQ job."""

import pytest

from portal.extensions import db
from portal.models import OutboxEmail
from tests.factories import gen_prospect
from tests.followups_helpers import complete, gen_community, gen_tour, messages_of

REDIS_URL = "redis://127.0.0.1:6379/11"  # a database of its own on the shared server
NEXT_MORNING = "2026-11-24T07:30:00+00:00"


def _toured():
    _, unit, tour_type = gen_community()
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit))
    db.session.commit()
    return prospect


def test_once_with_now_hands_the_due_recap_to_the_outbox(app, runner):
    """`--once --now` runs one pass at that moment; mail waits in the dev outbox (no SMTP)."""
    prospect = _toured()
    early = runner.invoke(args=["followups", "run", "--once", "--now", "2026-11-24T05:00:00Z"])
    assert early.exit_code == 0, early.output
    assert messages_of(prospect)[0].status == "scheduled"
    result = runner.invoke(args=["followups", "run", "--once", "--now", NEXT_MORNING])
    assert result.exit_code == 0, result.output
    assert "handed 1" in result.output
    recap = messages_of(prospect)[0]
    assert recap.status == "sending"
    assert db.session.get(OutboxEmail, recap.outbox_email_id).status == "queued"


def test_a_bad_now_is_refused(runner):
    """`--now` must be an ISO-8601 moment."""
    result = runner.invoke(args=["followups", "run", "--once", "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "not an ISO-8601 moment" in result.output


def test_the_pass_delivers_over_smtp_and_marks_sent(app, app_factory, smtp_server):
    """Against a real SMTP server: the message arrives with its Message-ID, then is "sent"."""
    app = app_factory(**smtp_server.config)
    with app.app_context():
        from portal.followups.worker import run_pass

        prospect = _toured()
        counts = run_pass(NEXT_MORNING)
        assert counts["handed"] == 1
        [arrived] = smtp_server.inbox.messages
        recap = messages_of(prospect)[0]
        assert arrived["Message-ID"] == recap.message_id
        assert arrived["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert recap.status == "sent"


@pytest.fixture
def redis_queue():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import Queue

    from portal.jobs import QUEUE_NAME

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()
    yield queue
    queue.empty()
    connection.close()


def test_with_redis_the_pass_runs_as_an_rq_job(app, app_factory, redis_queue, smtp_server):
    """The loop enqueues the same pass; an RQ worker runs it and the mail arrives once."""
    from rq import SimpleWorker

    import portal.jobs
    from portal.followups.worker import JOB
    from portal.jobs import run_later

    app = app_factory(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, **smtp_server.config)
    with app.app_context():
        prospect = _toured()
        redis_queue.empty()
        run_later(JOB, NEXT_MORNING)
        run_later(JOB, NEXT_MORNING)  # a second machine's pass at the same moment
        assert redis_queue.count == 2
        portal.jobs._worker_app = app
        try:
            SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
        finally:
            portal.jobs._worker_app = None
        db.session.expire_all()
        recap = messages_of(prospect)[0]
        assert recap.status == "sent"
        assert [m["Message-ID"] for m in smtp_server.inbox.messages] == [recap.message_id]
