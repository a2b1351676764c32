"""Athena tables and views of the curated zone, runnable locally on DuckDB.

- `athena_views.tables`: column definitions and partition projection of `messages` and
  `member_events` (DDL files, Glue TableInput for the CDK app);
- `athena_views.sql`: the view SQL files (`views/**/*.sql`), rendered for a timezone;
- `athena_views.local`: `connect(curated_uri, timezone)`, a DuckDB connection with the
  tables and every view (transpiled from the Athena SQL with sqlglot);
- `athena_views.deploy`: create/update the tables and views in Athena;
- `python -m athena_views`: query / views / ddl / deploy.
"""
