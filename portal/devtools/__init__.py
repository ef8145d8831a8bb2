"""Development-only pages (registered only when DEV_OUTBOX is on, never in production)."""
