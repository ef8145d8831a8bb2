"""Public listings: search with commute and fit sorting, listing pages, the offline map."""
