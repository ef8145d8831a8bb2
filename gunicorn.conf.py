"""gunicorn reads this file from the working directory (``gunicorn wsgi:app``).

Each worker warms up before it takes requests (``portal.listings.warm_up``): its
first commute search then costs what a later one does. Set PORTAL_WARM_UP=0 to skip.
"""

import os


def post_worker_init(worker):
    if os.environ.get("PORTAL_WARM_UP", "1") == "0":
        return
    from portal.listings.warm_up import warm_up
    from portal.settings import geo_settings

    app = worker.wsgi
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not Doorstep (the benchmarks' bare baseline runs from this directory too)
    with app.app_context():
        try:
            warm_up(geo_settings())
        except Exception:  # a worker that cannot warm up still serves
            worker.log.exception("warm-up failed; serving cold")
