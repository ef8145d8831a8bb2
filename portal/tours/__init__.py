"""Tours: public booking (no account needed), manage links, slots, claims, reminders, staff actions.

The blueprint lives in ``portal.tours.views``; every other module here is a service
the pages, the JSON API, the staff area and the CLI share.
"""
