"""The staff area under /staff: agents' tours and working hours, admins' tour set-up.

One blueprint (``portal.staff.views``) split into a file per page; the pages validate,
call one service in ``portal.tours`` and commit.
"""
