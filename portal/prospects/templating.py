"""What every page's template knows about who is browsing: their consent choice and account."""

from flask import Flask, has_request_context

from portal.prospects.current import consent_choice, current_prospect


def prospect_template_context() -> dict:
    if not has_request_context():  # emails and jobs render without a visitor
        return {}
    return {"consent_choice": consent_choice(), "current_prospect": current_prospect()}


def register(app: Flask) -> None:
    app.context_processor(prospect_template_context)
