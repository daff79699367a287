"""Public pages cached per directory version, and a Redis cache that survives Redis going away."""
