"""The home page and the /healthz check."""
