"""gunicorn reads this file from the working directory (``gunicorn wsgi:app``).

Each worker warms up before it takes requests (``portal.listings.warm_up``): its
first commute search then costs what a later one does. Set PORTAL_WARM_UP=0 to skip.
Then it moves what it holds for good (the street network, places, transit routes it
just read) out of the garbage collector's sight with ``gc.freeze()``: a full
collection otherwise walked those objects again every few hundred requests, a pause
of 100-150 ms on the demo city.
"""

import gc
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
    gc.collect()
    gc.freeze()
