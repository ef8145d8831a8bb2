"""A signed-in prospect's own records: contact preferences, my data, export, delete."""

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import logout_user

from portal.extensions import csrf, db
from portal.forms import EmptyForm, FieldErrors, add_field_errors
from portal.models.base import utcnow
from portal.prospects.current import CONSENT_KEY, current_prospect, prospect_required
from portal.prospects.forms import ContactPreferencesForm, ProfileForm
from portal.prospects.my_data import collect_my_data, erase_prospect
from portal.prospects.preferences import (
    InvalidPreferences,
    preferences_of,
    prospect_for_unsubscribe,
    unsubscribe,
    unsubscribe_token,
    update_preferences,
)
from portal.prospects.priorities import IMPORTANCE_LEVELS, history_entries, priority_history
from portal.prospects.records import update_profile
from portal.prospects.topics import TOPICS
from portal.prospects.views import bp


@bp.route("/", methods=["GET", "POST"])
@prospect_required
def account():
    prospect = current_prospect()
    form = ProfileForm(obj=prospect)
    if form.validate_on_submit():
        try:
            update_profile(prospect, name=form.name.data or "", phone=form.phone.data or "")
        except FieldErrors as exc:
            db.session.rollback()
            add_field_errors(form, exc)
        else:
            db.session.commit()
            flash("Your details are saved.", "info")
            return redirect(url_for("prospects.account"), code=303)
    status = 400 if form.errors else 200
    return render_template("prospects/account.html", prospect=prospect, form=form), status


@bp.route("/contact", methods=["GET", "POST"])
@prospect_required
def contact():
    prospect = current_prospect()
    prefs = preferences_of(prospect)
    token = unsubscribe_token(prospect, current_app.config["SECRET_KEY"])
    form = ContactPreferencesForm(obj=prefs)
    if request.method == "GET":
        form.marketing_consent.data = prefs.marketing_consent_at is not None
    if form.validate_on_submit():
        try:
            update_preferences(
                prospect,
                channel=form.channel.data,
                pace=form.pace.data,
                quiet_from=form.quiet_from.data,
                quiet_until=form.quiet_until.data,
                paused_until=form.paused_until.data,
                marketing_consent=bool(form.marketing_consent.data),
            )
        except InvalidPreferences as exc:
            db.session.rollback()
            add_field_errors(form, exc)
        else:
            db.session.commit()
            flash("Your contact preferences are saved. Every message we send follows them.", "info")
            return redirect(url_for("prospects.contact"), code=303)
    status = 400 if form.errors else 200
    return render_template(
        "prospects/contact.html", form=form, prefs=prefs, unsubscribe_token=token
    ), status


@bp.get("/data")
@prospect_required
def my_data():
    prospect = current_prospect()
    return render_template(
        "prospects/my_data.html",
        data=collect_my_data(prospect),
        history=history_entries(priority_history(prospect)),
        topics=TOPICS,
        levels=IMPORTANCE_LEVELS,
    )


@bp.get("/data.json")
@prospect_required
def export_data():
    body = json.dumps(collect_my_data(current_prospect()), indent=2, ensure_ascii=False)
    filename = f"doorstep-my-data-{utcnow():%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@prospect_required
def delete_account():
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit() or request.form.get("confirm") != "yes":
            flash("Tick the box to confirm that everything should be deleted.", "error")
            return render_template("prospects/delete.html", form=form), 400
        erase_prospect(current_prospect())
        db.session.commit()
        consent = session.get(CONSENT_KEY)
        logout_user()
        session.clear()
        if consent:
            session[CONSENT_KEY] = consent
        flash("Your account and everything we recorded about you are deleted.", "info")
        return redirect(url_for("home.index"), code=303)
    return render_template("prospects/delete.html", form=form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs without our token; the link is the key
def unsubscribe_link(token: str):
    prospect = prospect_for_unsubscribe(token, current_app.config["SECRET_KEY"])
    if prospect is None:
        abort(404, description="This unsubscribe link is not valid (or the account is deleted).")
    if request.method == "POST":
        unsubscribe(prospect)
        db.session.commit()
        return render_template("prospects/unsubscribed.html")
    return render_template("prospects/unsubscribe.html", token=token)
