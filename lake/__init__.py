"""telegram-lake's contracts, in one dependency-free package.

The one home of what the pipeline's stages share: the curated table specs
(`lake.tables`), the zone layout and partition names (`lake.zones`), the Telegram
vocabulary (`lake.telegram`), URI helpers (`lake.uri`), the ingest metric names
(`lake.metrics`), and privacy: pseudonyms and modes (`lake.privacy`), the privacy key
(`lake.keys`). Standard library only: it ships inside the Lambda asset and the Glue job's
zip, and the Spark schemas, Athena DDL, Glue `TableInput`, DuckDB types and the docs are
derived from it. Reads and writes nothing.
"""
