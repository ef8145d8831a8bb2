"""Staff sign-in under /auth, the session loader and the role checks every staff route uses."""
