"""Loading and rendering the view SQL: names, order, grain comments, timezone guard."""

from __future__ import annotations

import re

import pytest

from athena_views.sql import (
    InvalidTimezoneError,
    create_view_statement,
    load_views,
    referenced_relations,
    render,
    validate_timezone,
    view_files,
)

CONTRACT_VIEWS = {
    "daily_activity",
    "user_activity",
    "user_daily_activity",
    "hourly_heatmap",
    "content_type_daily",
    "membership_daily",
    "top_words",
    "reply_latency",
    "retention_cohorts",
    "dau_wau_mau",
    "message_reactions",
    "user_reactions",
    "reactions_daily",
    "join_sources",
    "top_inviters",
    "reply_pairs",
    "join_requests_daily",
}
STAGING_VIEWS = {
    "stg_chat_ids",
    "stg_chats",
    "stg_messages",
    "stg_member_events",
    "stg_joins",
    "stg_users",
    "stg_stop_words",
    "stg_reactions",
    "stg_current_reactions",
    "stg_anonymous_reactions",
    "stg_join_requests",
}


def test_every_contract_view_has_one_file() -> None:
    files = {view.name: view for view in view_files()}
    assert set(files) == CONTRACT_VIEWS | STAGING_VIEWS
    for name in CONTRACT_VIEWS:
        assert files[name].layer == "marts"
        assert files[name].path.name == f"{name}.sql"
    for name in STAGING_VIEWS:
        assert files[name].layer == "staging"


def test_each_file_opens_with_grain_and_reads_comments() -> None:
    for view in view_files():
        lines = view.template.splitlines()
        assert lines[0].startswith("-- grain: one row per"), view.name
        assert any(line.startswith("-- reads: ") for line in lines[:4]), view.name
        assert view.grain.startswith("one row per")


def test_load_views_is_in_dependency_order() -> None:
    views = load_views()
    names = [name for name, _ in views]
    assert set(names) == CONTRACT_VIEWS | STAGING_VIEWS
    for position, (name, sql) in enumerate(views):
        for dependency in referenced_relations(sql) & set(names):
            assert names.index(dependency) < position, (name, dependency)
    # What each staging view reads, by hand.
    sql_by_name = dict(views)
    assert referenced_relations(sql_by_name["stg_chat_ids"]) == {"chat_migrations"}
    # Every staging view over a table reports chats under their canonical ids.
    for staging, table in (
        ("stg_messages", "messages"),
        ("stg_member_events", "member_events"),
        ("stg_reactions", "reactions"),
        ("stg_join_requests", "join_requests"),
    ):
        assert referenced_relations(sql_by_name[staging]) == {table, "stg_chat_ids"}, staging
    # No mart reads a curated table directly: all go through the canonical staging views.
    tables = {"messages", "member_events", "chat_migrations", "reactions", "join_requests"}
    for name in CONTRACT_VIEWS:
        assert not referenced_relations(sql_by_name[name]) & tables, name
    assert referenced_relations(sql_by_name["top_words"]) == {"stg_messages", "stg_stop_words"}
    assert referenced_relations(sql_by_name["user_activity"]) == {"stg_messages", "stg_users"}


def test_timezone_is_rendered_into_the_views() -> None:
    rendered = dict(load_views("America/Sao_Paulo"))
    assert "at time zone 'America/Sao_Paulo'" in rendered["stg_messages"]
    for name in ("stg_member_events", "stg_reactions", "stg_join_requests"):
        assert "at time zone 'America/Sao_Paulo'" in rendered[name]
    for sql in rendered.values():
        assert "{{" not in sql and "}}" not in sql
    assert "at time zone 'UTC'" in dict(load_views())["stg_messages"]


@pytest.mark.parametrize(
    "zone", ["UTC", "America/Sao_Paulo", "Europe/Lisbon", "Asia/Kolkata", "Etc/GMT+3"]
)
def test_valid_timezones(zone: str) -> None:
    assert validate_timezone(zone) == zone


@pytest.mark.parametrize(
    "zone",
    [
        "UTC'; drop table messages; --",
        "America/Sao_Paulo' as timestamp) as x from messages --",
        "UTC' || '",
        "../../etc/passwd",
        "/etc/localtime",
        "Not/A_Zone",
        "",
        " UTC",
        "UTC\n",
        "America/Sao Paulo",
    ],
)
def test_invalid_timezones_are_rejected_before_rendering(zone: str) -> None:
    with pytest.raises(InvalidTimezoneError):
        validate_timezone(zone)
    with pytest.raises(InvalidTimezoneError):
        load_views(zone)
    with pytest.raises(InvalidTimezoneError):
        render("select '{{ timezone }}' as zone", zone)


def test_render_refuses_leftover_template_syntax() -> None:
    with pytest.raises(ValueError, match="unrendered"):
        render("select '{{ other_variable }}' as x")


def test_create_view_statement_drops_comment_lines() -> None:
    sql = "-- grain: one row per x\n-- reads: t\nselect\n    -- why\n    a\nfrom t\n"
    assert (
        create_view_statement("my_view", sql)
        == "create or replace view my_view as\nselect\n    a\nfrom t"
    )
    with pytest.raises(ValueError, match="view name"):
        create_view_statement("x; drop table y", sql)


def test_view_sql_style_lowercase_keywords() -> None:
    # sqlfluff enforces this too (test_views_lint); this keeps the reason visible here.
    for name, sql in load_views():
        code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
        assert not re.search(r"\b(SELECT|FROM|WHERE|GROUP BY|JOIN)\b", code), name
