"""The travel modes a commute can use, with the words pages and emails say them in.

The one list: forms, the API, the database CHECK on saved places and the engine all
read it, so a new mode is added here and nowhere else.
"""

# Routed on the OSRM networks prepared at import (portal.geo.routing_prep).
ROUTED_MODES = ("walk", "bike", "drive")
# Public transport is an estimate over the imported route relations (portal.geo.transit).
COMMUTE_MODES = (*ROUTED_MODES, "transit")

# How a mode is offered in a choice ("By: Walking").
MODE_LABELS = {
    "walk": "Walking",
    "bike": "Cycling",
    "drive": "Driving",
    "transit": "Public transport (estimate)",
}
# How a mode reads in running text ("12 min by public transport").
MODE_WORDS = {"walk": "walk", "bike": "bike", "drive": "drive", "transit": "public transport"}
