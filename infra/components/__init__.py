"""The stack's building blocks: storage, ingest, processing, catalog, monitoring, QuickSight."""
