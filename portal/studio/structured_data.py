"""schema.org JSON-LD for a published listing: an Apartment, its Offer and its Place.

Search engines and listing sites read this from the page; every URL in it is built by
``portal.links.external_url`` on ``PORTAL_BASE_URL``.
"""

from urllib.parse import urlsplit

import nh3

from portal.links import external_url
from portal.models import Unit
from portal.studio.listing_content import ListingContent


def listing_json_ld(unit: Unit, content: ListingContent) -> dict:
    """The JSON-LD object for ``unit``'s page (rendered with ``tojson``, which escapes <)."""
    prop = unit.property
    url = external_url("listings.detail", unit_id=unit.id)
    # Image sources are the paths the page itself uses, on the same public origin.
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    images = [origin + m.src for m in (*content.unit("photo"), *content.building("photo")) if m.src]
    place = {
        "@type": "Place",
        "name": prop.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": f"{prop.street} {prop.housenumber}",
            "postalCode": prop.postcode,
            "addressLocality": prop.city,
        },
        "geo": {"@type": "GeoCoordinates", "latitude": prop.lat, "longitude": prop.lon},
    }
    return {
        "@context": "https://schema.org",
        "@type": "Apartment",
        "@id": url,
        "url": url,
        "name": f"{unit.title} at {prop.name}",
        "description": nh3.clean(str(content.unit_description_html), tags=set()).strip()
        or prop.tagline,
        "numberOfRooms": unit.bedrooms + 1,
        "numberOfBedrooms": unit.bedrooms,
        "numberOfBathroomsTotal": float(unit.bathrooms),
        "floorLevel": str(unit.floor),
        "floorSize": {
            "@type": "QuantitativeValue",
            "value": float(unit.area_m2),
            "unitCode": "MTK",
        },
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": a, "value": True}
            for a in content.amenities
        ],
        "image": images,
        "containedInPlace": place,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": unit.rent_eur,
            "priceCurrency": "EUR",
            "priceSpecification": {
                "@type": "UnitPriceSpecification",
                "price": unit.rent_eur,
                "priceCurrency": "EUR",
                "unitCode": "MON",
            },
            "availability": "https://schema.org/InStock"
            if unit.status == "available"
            else "https://schema.org/LimitedAvailability",
            "availabilityStarts": unit.available_from.isoformat(),
        },
    }
