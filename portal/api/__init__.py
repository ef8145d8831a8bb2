"""JSON API under /api/v1: the same services as the pages, no CSRF (no cookies needed).

``views/`` holds the endpoints (one module per area), ``serializers.py`` the JSON
shapes and ``spec/`` the OpenAPI document that describes both.
"""
