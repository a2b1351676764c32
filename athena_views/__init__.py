"""Athena tables and views of the curated zone, runnable locally on DuckDB.

- `athena_views.tables`: column definitions and partition projection of `messages` and
  `member_events` (DDL files, Glue TableInput for the CDK app);
- `athena_views.sql`: the view SQL files (`views/**/*.sql`), rendered for a timezone;
- `athena_views.view_columns`: each view's output columns, declared beside its SQL
  (`views/**/*.yml`), read by QuickSight, the dashboard and the tests;
- `athena_views.local`: `connect(curated_uri, timezone)`, a DuckDB connection with the
  tables and every view (transpiled from the Athena SQL with sqlglot);
- `athena_views.runner`: run one Athena statement and wait for it (standard library only;
  shared by the CLI and the stack's views custom resource, whose Lambda ships it);
- `athena_views.deploy`: create/update the tables and views in Athena;
- `python -m athena_views`: query / views / ddl / deploy.

Importing the package imports nothing: the views custom resource's Lambda carries this file
and `runner.py` alone.
"""
