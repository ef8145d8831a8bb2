"""Page objects: one per screen, used by the journeys."""
