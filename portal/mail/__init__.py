"""Email: render, queue in the outbox inside the caller's transaction, deliver after commit."""
