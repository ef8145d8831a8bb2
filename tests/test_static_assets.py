"""Weight and caching: compressed pages, hashed static names cached for a year, the first
listing photo loaded first, a map.json holding only what the map draws."""

import json
import re

import pytest

from tests.factories import gen_media, gen_unit


@pytest.fixture
def listing(app):
    from portal.extensions import db

    unit = gen_unit()
    gen_media(unit, kind="photo", url="img/demo/photo-living.svg", alt_text="Living room")
    db.session.commit()
    return unit


def test_pages_are_compressed_when_the_browser_accepts_it(client, listing):
    """HTML goes out Brotli-compressed to a browser that says it takes br."""
    response = client.get("/listings/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get("/listings/")
    assert "Content-Encoding" not in plain.headers
    assert len(response.data) < len(plain.data) / 2


def test_static_urls_carry_the_file_hash_and_are_cached_for_a_year(client):
    """Every static URL in a page names the file's content hash; it is immutable for a year."""
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{10}\.css)"', html).group(1)
    response = client.get(css, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    assert (
        client.get(
            css, headers={"If-None-Match": response.headers["ETag"], "Accept-Encoding": "br"}
        ).status_code
        == 304
    )


def test_a_stale_hash_is_not_found_and_the_plain_name_is_cached_briefly(client):
    """An old hash answers 404 (never old content under a new name); the plain name works."""
    assert client.get("/static/css/portal.0000000000.css").status_code == 404
    plain = client.get("/static/css/portal.css")
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    assert client.get("/static/../portal/config.py").status_code == 404


@pytest.mark.parametrize("path", ["/", "/listings/"])
def test_the_first_listing_photo_loads_eagerly_and_first(client, demo, path):
    """The first card's photo (the largest paint) has fetchpriority=high and no lazy loading."""
    html = client.get(path).get_data(as_text=True)
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) > 1
    assert 'fetchpriority="high"' in images[0]
    assert 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in img for img in images[1:])


def test_only_the_page_stylesheet_blocks_rendering(client, listing):
    """Leaflet's stylesheet is loaded by the map script, not in the head."""
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    head = html.split("</head>")[0]
    assert re.findall(r'<link rel="stylesheet"[^>]*>', head) == [
        m for m in re.findall(r'<link rel="stylesheet"[^>]*>', head) if "portal." in m
    ]
    assert "leaflet.css" not in head
    assert "leaflet-1.9.4/leaflet." in html


def test_map_json_holds_only_what_the_map_draws(client, demo, geo_region):
    """Streets merged per name and weight, simplified; places with category and label only;
    the whole answer a fraction of the 258 KB it was."""
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    assert unit_id
    body = client.get(f"/listings/{unit_id}/map.json").get_data()
    data = json.loads(body)
    streets = [f for f in data["features"] if f["properties"]["layer"] == "street"]
    places = [f for f in data["features"] if f["properties"]["layer"] == "place"]
    assert streets
    assert places
    assert {k for f in streets for k in f["properties"]} == {"layer", "weight", "name"}
    assert {k for f in places for k in f["properties"]} == {"layer", "category", "label"}
    names = [(f["properties"]["name"], f["properties"]["weight"]) for f in streets]
    assert len(names) == len(set(names))  # one feature per street name and weight
    assert len(body) < 120_000


def test_simplifying_drops_points_on_the_line_and_keeps_corners():
    """Douglas-Peucker: midpoints of a straight street go, a corner stays."""
    from portal.geo.map_layers import simplify

    straight = [[0.0, 0.0], [0.0001, 0.0], [0.0002, 0.000001], [0.0003, 0.0]]
    assert simplify(straight, 0.00003) == [[0.0, 0.0], [0.0003, 0.0]]
    corner = [[0.0, 0.0], [0.001, 0.0], [0.001, 0.001]]
    assert simplify(corner, 0.00003) == corner
