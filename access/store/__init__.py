"""The shared-state store: Redis (one server, Sentinel or Cluster) or the database."""
