"""The visitors of the load run: concurrent clients, each running a weighted mix of visits.

A visit is what one person does in a sitting: browse listings, search by commute, book
a tour, manage a tour they booked (view, reschedule, cancel, or confirm the address from
the emailed link, read from the SMTP sink), work in the staff pages, or a load balancer
asking ``/healthz``. Every visit comes from its own loopback address (``127.<client>.x.y``),
so per-address rate limits apply to it as to a real visitor and stay on for the run.
Staff keep one signed-in session per client.

The deployment's session cookie is ``Secure`` (production); the clients send it back
over loopback HTTP as a browser does over the TLS of a real deployment.
"""

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx

from bench.load_report import Sample, classify

# How often each kind of visit is chosen (relative weights).
VISITS = {"browse": 40, "commute": 20, "book": 15, "manage": 12, "staff": 8, "health": 5}
TOUR_KINDS = {"self_guided": 5, "guided": 3, "video": 2}
MODES = ("walk", "bike", "drive", "transit")
HORIZON_DAYS = 20  # book within the demo's 21-day horizon
STAFF_RELOGIN_EVERY = 5  # every 5th staff visit of a client signs in afresh
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START = re.compile(r'name="start" value="([^"]+)"')


@dataclass(frozen=True)
class Site:
    """What the visitors know of the site before the run (read once, not timed)."""

    base: str
    listings: dict[int, tuple[float, float]]  # listing id -> its building's lat, lon
    property_ids: list[int]
    destinations: list[str]  # addresses people commute to
    staff: list[tuple[str, str]]  # (email, password): the agent, then the admin
    confirm_path: Callable[[str], str | None]  # a tour's emailed confirmation link, once sent


@dataclass
class Booking:
    """A tour the client was told it booked, and what it was told afterwards."""

    token: str
    listing_id: int
    kind: str
    start: str  # UTC, as sent: 2026-12-03T10:30:00Z
    status: str  # as answered at booking
    cancelled: bool = False
    confirmed: bool = False


@dataclass
class Visitor:
    """One client thread's state; ``samples`` and ``bookings`` are read after the run."""

    number: int
    site: Site
    label: str  # makes emails and idempotency keys unique per run
    rng: random.Random
    started: float
    think_seconds: float
    samples: list[Sample] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    healthz: dict[str, int] = field(default_factory=dict)  # the "redis" field's values
    visits: int = 0
    crashes: list[str] = field(default_factory=list)  # visits that raised here, not in the app
    _staff_client: httpx.Client | None = None
    _staff_visits: int = 0

    def client(self, address: str | None = None) -> httpx.Client:
        """A browser from ``address`` (default: the next unused one of this client)."""
        if address is None:
            address = f"127.{10 + self.number}.{self.visits // 250}.{self.visits % 250 + 1}"
        client = httpx.Client(
            base_url=self.site.base,
            transport=httpx.HTTPTransport(local_address=address),
            timeout=30,
        )
        return client

    def send(self, client, method: str, url: str, endpoint: str, *, expect=None, **kwargs):
        """Time one request; record it under ``endpoint``; the response, or None if no answer.

        :param expect: the statuses that count as success (default: any 2xx or 3xx).
        """
        t0 = time.perf_counter()
        try:
            response = client.request(method, url, **kwargs)
            status = response.status_code
            _send_secure_cookies_over_http(client)
        except httpx.HTTPError:
            response, status = None, 0
        elapsed = time.perf_counter() - t0
        self.samples.append(
            Sample(endpoint, status, classify(status, expect), elapsed, t0 - self.started)
        )
        if self.think_seconds:
            time.sleep(self.rng.uniform(0, self.think_seconds))
        return response

    def run_until(self, deadline: float) -> None:
        try:
            while time.perf_counter() < deadline:
                kind = self.rng.choices(list(VISITS), weights=list(VISITS.values()))[0]
                self.visits += 1
                try:
                    getattr(self, f"visit_{kind}")()
                except Exception as exc:  # a broken visit must not end this client's run
                    self.crashes.append(f"{kind}: {exc!r}")
        finally:
            if self._staff_client is not None:
                self._staff_client.close()

    # -- visits ---------------------------------------------------------------------------

    def visit_browse(self) -> None:
        rng = self.rng
        unit_id = rng.choice(list(self.site.listings))
        filters = {"bedrooms": rng.choice(["", "0", "1", "2", "3"])}
        if rng.random() < 0.5:
            filters["max_rent"] = rng.choice([1200, 1800, 2500])
        if rng.random() < 0.3:
            filters["page"] = 2
        with self.client() as c:
            self.send(c, "GET", "/", "GET /")
            self.send(c, "GET", f"/listings/?{urlencode(filters)}", "GET /listings/ (filters)")
            self.send(c, "GET", f"/listings/{unit_id}", "GET /listings/<id>")
            self.send(c, "GET", f"/listings/{unit_id}/map.json", "GET /listings/<id>/map.json")
            if rng.random() < 0.5:
                self.send(
                    c, "GET", f"/api/v1/listings?{urlencode(filters)}", "GET /api/v1/listings"
                )

    def visit_commute(self) -> None:
        rng = self.rng
        query = {
            "commute_to": rng.choice(self.site.destinations),
            "mode": rng.choice(MODES),
            "sort": "commute",
        }
        lat, lon = self.site.listings[rng.choice(list(self.site.listings))]
        trip = {"from": f"{lat},{lon}", "to": query["commute_to"], "mode": query["mode"]}
        with self.client() as c:
            self.send(c, "GET", f"/listings/?{urlencode(query)}", "GET /listings/ (commute)")
            self.send(
                c, "GET", f"/api/v1/listings?{urlencode(query)}", "GET /api/v1/listings (commute)"
            )
            self.send(c, "GET", f"/api/v1/commute?{urlencode(trip)}", "GET /api/v1/commute")

    def visit_book(self) -> None:
        rng = self.rng
        unit_id = rng.choice(list(self.site.listings))
        kind = rng.choices(list(TOUR_KINDS), weights=list(TOUR_KINDS.values()))[0]
        with self.client() as c:
            for _ in range(2):  # a second day if the first is full
                day = (datetime.now(UTC) + timedelta(days=rng.randint(1, HORIZON_DAYS))).date()
                query = urlencode({"type": kind, "from": day.isoformat(), "to": day.isoformat()})
                response = self.send(
                    c,
                    "GET",
                    f"/api/v1/listings/{unit_id}/tour-slots?{query}",
                    "GET /api/v1/listings/<id>/tour-slots",
                )
                slots = response.json()["slots"] if response and response.status_code == 200 else []
                if slots:
                    self._book(c, unit_id, kind, rng.choice(slots)["start_utc"])
                    return

    def _book(self, c: httpx.Client, unit_id: int, kind: str, start: str) -> None:
        n = len(self.samples)
        body = {
            "listing_id": unit_id,
            "type": kind,
            "start": start,
            "name": f"Load Visitor {self.number}-{n}",
            "email": f"load-{self.label}-{self.number}-{n}@example.com",
            "idempotency_key": f"load-{self.label}-{self.number:03d}-{n:06d}",  # 16-64 chars
        }
        response = self.send(c, "POST", "/api/v1/tours", "POST /api/v1/tours", json=body)
        if response is None:  # no answer: a careful client retries with the same key
            response = self.send(c, "POST", "/api/v1/tours", "POST /api/v1/tours", json=body)
        if response is not None and response.status_code in (200, 201):
            answer = response.json()
            status = answer["tour"]["status"]
            self.bookings.append(Booking(answer["token"], unit_id, kind, start, status))

    def visit_manage(self) -> None:
        open_tours = [b for b in self.bookings if not b.cancelled]
        if not open_tours:
            self.visit_book()
            return
        rng = self.rng
        tour = rng.choice(open_tours)
        page = f"/tours/m/{tour.token}"
        with self.client() as c:
            response = self.send(c, "GET", page, "GET /tours/m/<token>", expect=(200,))
            self.send(c, "GET", f"/api/v1/tours/{tour.token}", "GET /api/v1/tours/<token>")
            csrf = _csrf(response)
            action = rng.random()
            emailed = self.site.confirm_path(tour.token)
            if emailed and not tour.confirmed and action < 0.3:
                self._confirm_from_email(c, tour, emailed)
            elif action < 0.45:
                self._reschedule_by_page(c, tour)
            elif action < 0.6:
                self._reschedule_by_api(c, tour)
            elif action < 0.8 and csrf:
                done = self.send(
                    c, "POST", f"{page}/cancel", "POST /tours/m/<token>/cancel",
                    data={"csrf_token": csrf},
                )  # fmt: skip
                tour.cancelled = _answered(done, 303)

    def _confirm_from_email(self, c: httpx.Client, tour: Booking, path: str) -> None:
        """Open the emailed link and press its button: confirms the address (and a request)."""
        page = self.send(
            c, "GET", path, "GET /tours/m/<token>/confirm/<code>", expect=(200,)
        )  # fmt: skip
        csrf = _csrf(page)
        if csrf:
            done = self.send(
                c, "POST", path, "POST /tours/m/<token>/confirm/<code>",
                data={"csrf_token": csrf},
            )  # fmt: skip
            tour.confirmed = _answered(done, 303)

    def _reschedule_by_page(self, c: httpx.Client, tour: Booking) -> None:
        page = f"/tours/m/{tour.token}"
        picker = self.send(
            c, "GET", f"{page}/reschedule", "GET /tours/m/<token>/reschedule", expect=(200,)
        )
        csrf = _csrf(picker)
        found = START.findall(picker.text) if picker is not None else []
        starts = [s for s in found if s != tour.start]
        if csrf and starts:
            start = self.rng.choice(starts)
            done = self.send(
                c, "POST", f"{page}/reschedule", "POST /tours/m/<token>/reschedule",
                data={"csrf_token": csrf, "start": start},
            )  # fmt: skip
            if _answered(done, 303):
                tour.start = start

    def _reschedule_by_api(self, c: httpx.Client, tour: Booking) -> None:
        day = (datetime.now(UTC) + timedelta(days=self.rng.randint(1, HORIZON_DAYS))).date()
        query = urlencode({"type": tour.kind, "from": day.isoformat(), "to": day.isoformat()})
        response = self.send(
            c,
            "GET",
            f"/api/v1/listings/{tour.listing_id}/tour-slots?{query}",
            "GET /api/v1/listings/<id>/tour-slots",
        )
        slots = response.json()["slots"] if response and response.status_code == 200 else []
        starts = [s["start_utc"] for s in slots if s["start_utc"] != tour.start]
        if starts:
            start = self.rng.choice(starts)
            done = self.send(
                c, "POST", f"/api/v1/tours/{tour.token}/reschedule",
                "POST /api/v1/tours/<token>/reschedule", json={"start": start},
            )  # fmt: skip
            if _answered(done, 200):
                tour.start = start

    def visit_staff(self) -> None:
        self._staff_visits += 1
        email, password = self.site.staff[self.number % len(self.site.staff)]
        fresh = self._staff_client is None or self._staff_visits % STAFF_RELOGIN_EVERY == 0
        if fresh:
            if self._staff_client is not None:
                self._staff_client.close()
            self._staff_client = self.client()
            c = self._staff_client
            form = self.send(c, "GET", "/auth/login", "GET /auth/login", expect=(200,))
            csrf = _csrf(form)
            data = {"csrf_token": csrf or "", "email": email, "password": password}
            self.send(c, "POST", "/auth/login", "POST /auth/login", expect=(302, 303), data=data)
        c = self._staff_client
        self.send(c, "GET", "/staff/", "GET /staff/", expect=(200,))
        self.send(c, "GET", "/staff/tours", "GET /staff/tours", expect=(200,))
        if email.startswith("admin"):
            prop = self.rng.choice(self.site.property_ids)
            self.send(
                c, "GET", f"/staff/properties/{prop}/tours", "GET /staff/properties/<id>/tours",
                expect=(200,),
            )  # fmt: skip
        else:
            self.send(c, "GET", "/staff/availability", "GET /staff/availability", expect=(200,))

    def visit_health(self) -> None:
        with self.client() as c:
            response = self.send(c, "GET", "/healthz", "GET /healthz", expect=(200,))
        if response is not None and response.status_code == 200:
            state = response.json().get("redis", "?")
            self.healthz[state] = self.healthz.get(state, 0) + 1


def _send_secure_cookies_over_http(client: httpx.Client) -> None:
    """Let the ``Secure`` session cookie go back over loopback HTTP (TLS in a deployment)."""
    for cookie in client.cookies.jar:
        cookie.secure = False


def _csrf(response: httpx.Response | None) -> str | None:
    found = CSRF.search(response.text) if response is not None else None
    return found.group(1) if found else None


def _answered(response: httpx.Response | None, status: int) -> bool:
    return response is not None and response.status_code == status


def run_visitors(
    site: Site, *, clients: int, seconds: float, label: str, seed: int, think_seconds: float
) -> tuple[list[Visitor], float]:
    """Run ``clients`` visitors for ``seconds``; returns them and when they started."""
    started = time.perf_counter()
    visitors = [
        Visitor(n, site, label, random.Random(seed * 1000 + n), started, think_seconds)
        for n in range(clients)
    ]
    threads = [
        threading.Thread(target=v.run_until, args=(started + seconds,), name=f"visitor-{v.number}")
        for v in visitors
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return visitors, started
