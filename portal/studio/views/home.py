"""The studio home: where a marketer starts (content, and the other studio pages present)."""

from flask import current_app, render_template, url_for

from portal.studio.views import bp

# Studio pages built in their own modules; the home links to those this app has.
OTHER_PAGES = (
    (
        "/studio/followups",
        "Follow-up snippets",
        "Texts the follow-up emails use, per priority topic and community.",
    ),
    (
        "/studio/insights",
        "Insights",
        "Which sources bring leads who tour and lease, and where prospects drop out.",
    ),
)


def _page_url(prefix: str) -> str | None:
    """The URL of the first argument-free GET page under ``prefix``, if the app has one."""
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            (
                rule.rule.rstrip("/") == prefix
                or (rule.rule.startswith(prefix + "/") and not rule.arguments)
            )
            and "GET" in rule.methods
            and not rule.arguments
        ):
            return url_for(rule.endpoint)
    return None


@bp.get("/")
def index():
    pages = [
        (url, title, text) for prefix, title, text in OTHER_PAGES if (url := _page_url(prefix))
    ]
    return render_template("studio/index.html", pages=pages)
