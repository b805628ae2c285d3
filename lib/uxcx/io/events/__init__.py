"""Event logs to per-person UX measures, inside an embedded engine (DuckDB) or Spark."""
