"""The agent reviews, edits and approves a queued follow-up; the prospect unsubscribes from
the received email's link, and nothing more is sent."""

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.followups.dispatch import dispatch_due
from portal.followups.planner import plan_messages
from portal.models import ContactPreference, OutboxEmail, PropertyAgent
from tests.browser.axe import serious_violations
from tests.browser.pages.followups import FollowupQueue, SignIn
from tests.factories import STAFF_PASSWORD, gen_prospect, gen_staff
from tests.followups_helpers import complete, context, gen_community, gen_tour, messages_of


def test_agent_edits_and_approves_then_the_prospect_unsubscribes(
    app, live_server, page, fixed_clock
):
    """Review → edit → approve in the browser; the mail goes with the agent's words; its
    unsubscribe link shows a button (a GET changes nothing), one press stops everything."""
    prop, unit, tour_type = gen_community(send_mode="review")
    agent = gen_staff("agent")
    db.session.add(PropertyAgent(property_id=prop.id, staff_id=agent.id))
    prospect = gen_prospect(name="Pia Virtanen")
    complete(gen_tour(tour_type, prospect, unit=unit), now=fixed_clock - timedelta(hours=2))
    db.session.commit()
    recap = messages_of(prospect)[0]

    SignIn(page, live_server).as_staff(agent.email, STAFF_PASSWORD)
    queue = FollowupQueue(page, live_server, prospect.id).open()
    expect(queue.card(recap.id)).to_contain_text("Awaiting your review")
    expect(queue.card(recap.id).locator("pre.preview")).to_contain_text("Hello Pia,")
    queue.edit(recap.id, "Lovely to meet you, Pia", "Hi Pia,\n\nThank you for coming by today.")
    queue.approve(recap.id)

    page.set_viewport_size({"width": 390, "height": 844})  # the agent's phone
    queue.open()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    db.session.expire_all()
    dispatch_due(recap.scheduled_for, context(app))
    email = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.kind == "followup"))
    assert email.subject == "Lovely to meet you, Pia"
    link = re.search(r"Unsubscribe from everything you did not ask for: (\S+)", email.text_body)[1]

    prospect_page = page.context.browser.new_context().new_page()
    prospect_page.goto(link)
    assert serious_violations(prospect_page) == []
    db.session.expire_all()
    assert db.session.get(ContactPreference, prospect.id) is None or (
        db.session.get(ContactPreference, prospect.id).unsubscribed_at is None
    )
    prospect_page.locator("main form button[type=submit]").click()
    expect(prospect_page.locator("main")).to_contain_text("unsubscribed")
    db.session.expire_all()
    assert db.session.get(ContactPreference, prospect.id).unsubscribed_at is not None
    second = messages_of(prospect)[1]
    plan_messages(second.scheduled_for)  # the next pass stops every plan of the prospect
    db.session.commit()
    db.session.refresh(second)
    assert second.status == "skipped"
    assert second.skip_reason == "plan stopped: unsubscribed"
    prospect_page.context.close()
