"""A visitor's saved places (work, school...), under /commute/: kept in the session for a
visitor and on the record for a prospect, and read by the listing pages and the fit."""
