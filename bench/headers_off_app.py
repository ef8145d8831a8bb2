"""The portal with its security headers and rate limits off: `bench_headers`'s baseline.

Only the benchmark builds this app; no setting or environment variable of a deployed
portal switches the headers off.
"""

from portal import create_app

app = create_app({"SECURITY_HEADERS_ENABLED": False, "RATELIMIT_ENABLED": False})
