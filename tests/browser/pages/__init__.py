"""One page object per screen. Building one means "I am on this screen now": it checks
the heading and runs the screen audit (axe, focus not obscured, no sideways scroll)."""
