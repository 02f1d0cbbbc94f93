"""Links to an event's place on OpenStreetMap, built only from what staff typed in.

Nothing here asks a map service anything (no geocoding): with coordinates we can build an
embeddable map and a link to the spot; without them, a link to a map search for the
address. Whether the embed may be shown is the page's business (it is external media).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings

from events.models import Event

# Half the height and width of the embedded map in degrees: a few streets around the spot
# (longitude degrees are shorter than latitude degrees at Dutch latitudes).
HALF_HEIGHT = Decimal("0.0025")
HALF_WIDTH = Decimal("0.0050")
ZOOM = 17


def _base() -> str:
    return settings.OPENSTREETMAP_URL.rstrip("/")


def map_link_url(event: Event) -> str:
    """A plain link to the place on openstreetmap.org: the spot, or a search for the address."""
    if event.has_coordinates:
        lat, lon = f"{event.latitude:f}", f"{event.longitude:f}"
        return f"{_base()}/?{urlencode({'mlat': lat, 'mlon': lon})}#map={ZOOM}/{lat}/{lon}"
    query = event.address or event.location
    return f"{_base()}/search?{urlencode({'query': query})}"


def map_embed_url(event: Event) -> str | None:
    """The address of OpenStreetMap's embeddable map with a marker, or None without coordinates."""
    if not event.has_coordinates:
        return None
    lat, lon = event.latitude, event.longitude
    bbox = (lon - HALF_WIDTH, lat - HALF_HEIGHT, lon + HALF_WIDTH, lat + HALF_HEIGHT)
    query = {
        "bbox": ",".join(f"{value:f}" for value in bbox),
        "layer": "mapnik",
        "marker": f"{lat:f},{lon:f}",
    }
    return f"{_base()}/export/embed.html?{urlencode(query)}"
