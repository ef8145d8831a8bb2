"""Follow-ups after tours: planning (planner), facts (placeholders), rendering (render),
sending rules (rules) and the lease-based hand-off to the outbox (dispatch).

No request objects anywhere: the clock ``now`` is a parameter of every service.
"""
