from flask import jsonify

from portal.api.spec import openapi_document
from portal.api.views import bp
from portal.links import external_url


@bp.get("/openapi.json")
def openapi():
    server = external_url("api.openapi").removesuffix("/openapi.json")
    return jsonify(openapi_document(server_url=server))
