"""Table definitions: the curated contract, the committed DDL, the Glue TableInput."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from athena_views.reference import DOCS_PATH, render_tables_doc
from athena_views.tables import (
    MESSAGES,
    TABLES,
    ddl_path,
    glue_table_input,
    render_ddl,
    validate_projection_start,
)
from tests.contract import (
    MEMBER_EVENTS_COLUMNS,
    MESSAGES_BOOKKEEPING_COLUMNS,
    MESSAGES_COLUMNS,
    PARTITION_COLUMN,
    TABLE_COLUMNS,
)

# Glue refuses a column comment longer than this (CloudFormation and the API alike).
GLUE_COMMENT_MAX = 255


def test_columns_match_the_curated_contract() -> None:
    assert list(TABLES) == list(TABLE_COLUMNS)
    for name, columns in TABLE_COLUMNS.items():
        assert [(c.name, c.type) for c in TABLES[name].data_columns] == list(columns), name
    for table in TABLES.values():
        assert (table.partition.name, table.partition.type) == PARTITION_COLUMN
        for column in table.file_columns:
            assert column.comment, column.name
            # A quote would end the DDL literal; Glue cuts nothing, it refuses.
            assert "'" not in column.comment, column.name
            assert len(column.comment) <= GLUE_COMMENT_MAX, column.name


def test_bookkeeping_columns_are_written_but_not_declared_to_athena() -> None:
    assert [(c.name, c.type) for c in MESSAGES.bookkeeping_columns] == list(
        MESSAGES_BOOKKEEPING_COLUMNS
    )
    for name in TABLE_COLUMNS:
        if name != "messages":
            assert TABLES[name].bookkeeping_columns == (), name
    ddl = render_ddl("messages")
    for name, _ in MESSAGES_BOOKKEEPING_COLUMNS:
        assert name not in ddl


def test_committed_tables_reference_is_what_the_specs_render() -> None:
    # If this fails: `python -m athena_views ddl --write` and commit the result.
    page = DOCS_PATH.read_text(encoding="utf-8")
    assert page == render_tables_doc()
    for name, type_name in (*MESSAGES_COLUMNS, *MESSAGES_BOOKKEEPING_COLUMNS):
        assert f"| `{name}` | `{type_name}` |" in page
    for columns in TABLE_COLUMNS.values():
        for name, type_name in columns:
            assert f"| `{name}` | `{type_name}` |" in page


@pytest.mark.parametrize("name", list(TABLE_COLUMNS))
def test_committed_ddl_is_what_tables_py_renders(name: str) -> None:
    # If this fails: `python -m athena_views ddl --write` and commit the result.
    assert ddl_path(name).read_text(encoding="utf-8") == render_ddl(name)


def test_ddl_for_a_real_location() -> None:
    ddl = render_ddl("messages", "s3://lake-curated/curated/", "2024-01-01")
    assert "create external table if not exists messages (" in ddl
    assert "    sent_at timestamp comment 'original date of the message (UTC)',\n" in ddl
    assert "partitioned by (dt date comment 'UTC date of sent_at')" in ddl
    assert "location 's3://lake-curated/curated/messages/'" in ddl
    for prop in (
        "'projection.enabled' = 'true'",
        "'projection.dt.type' = 'date'",
        "'projection.dt.format' = 'yyyy-MM-dd'",
        "'projection.dt.range' = '2024-01-01,NOW'",
        "'projection.dt.interval' = '1'",
        "'projection.dt.interval.unit' = 'DAYS'",
        "'storage.location.template' = 's3://lake-curated/curated/messages/dt=${dt}/'",
    ):
        assert prop in ddl
    assert "{{" not in ddl


@pytest.mark.parametrize("bad", ["2024-1-1", "NOW", "2024-02-30", "2024-01-01' --"])
def test_projection_start_must_be_a_date(bad: str) -> None:
    with pytest.raises(ValueError):
        validate_projection_start(bad)
    with pytest.raises(ValueError):
        render_ddl("messages", "s3://b/c", bad)


def test_location_with_a_quote_is_refused() -> None:
    with pytest.raises(ValueError, match="location_uri"):
        render_ddl("messages", "s3://b/c' --", "2024-01-01")


def test_glue_table_input_shape() -> None:
    table_input = glue_table_input("member_events", "s3://lake/curated", "2024-01-01")
    assert table_input["Name"] == "member_events"
    assert table_input["TableType"] == "EXTERNAL_TABLE"
    assert table_input["PartitionKeys"] == [
        {"Name": "dt", "Type": "date", "Comment": "UTC date of occurred_at"}
    ]
    descriptor = table_input["StorageDescriptor"]
    assert descriptor["Location"] == "s3://lake/curated/member_events/"
    assert [(c["Name"], c["Type"]) for c in descriptor["Columns"]] == list(MEMBER_EVENTS_COLUMNS)
    assert descriptor["SerdeInfo"]["SerializationLibrary"] == (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    )
    assert table_input["Parameters"]["projection.dt.range"] == "2024-01-01,NOW"
    assert table_input["Parameters"]["storage.location.template"] == (
        "s3://lake/curated/member_events/dt=${dt}/"
    )


def test_glue_accepts_the_table_input(aws_credentials: None) -> None:
    with mock_aws():
        glue: Any = boto3.client("glue", region_name="us-east-1")
        glue.create_database(DatabaseInput={"Name": "telegram_lake"})
        for name in TABLES:
            glue.create_table(
                DatabaseName="telegram_lake",
                TableInput=glue_table_input(name, "s3://lake/curated", "2024-01-01"),
            )
        listed = glue.get_tables(DatabaseName="telegram_lake")["TableList"]
        assert sorted(t["Name"] for t in listed) == sorted(TABLE_COLUMNS)
        table = glue.get_table(DatabaseName="telegram_lake", Name="messages")["Table"]
        assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]][:3] == [
            "chat_id",
            "message_id",
            "message_thread_id",
        ]
        assert table["Parameters"]["projection.enabled"] == "true"
        assert table["PartitionKeys"][0]["Name"] == "dt"
