"""Page objects: one per screen, so journeys read like the user's story."""
