from flask import jsonify, url_for

from portal.api.spec import openapi_document
from portal.api.views import bp


@bp.get("/openapi.json")
def openapi():
    server = url_for("api.openapi", _external=True).removesuffix("/openapi.json")
    return jsonify(openapi_document(server_url=server))
