"""Schemathesis against /api/v1/openapi.json: no 5xx, answers match the document, and the
document describes what the validation accepts (valid requests served, invalid ones refused).

Runs on the Flask app directly (WSGI, no network), with a fixed seed and few examples per
operation so that it is quick and never flaky.
"""

import schemathesis
from hypothesis import HealthCheck, settings

from portal.api.spec import openapi_document

schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_document(case, app):
    """Every generated request, valid or not, gets an answer the document promises."""
    case.call_and_validate(app=app)
