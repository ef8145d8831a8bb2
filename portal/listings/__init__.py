"""Listings: the search page and a listing's page (``views``), the one search (``services``)."""
