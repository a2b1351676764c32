"""Unit tests of the entry script's argument handling and the job's window/run-id rules.

No Spark: `getResolvedOptions` from the awsglue package works offline.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from awsglue.utils import GlueArgumentError

from glue_jobs.config import RUN_ID_PATTERN, ArrivalWindow, JobConfig, new_run_id
from glue_jobs.telegram_etl import parse_args, present_options

REQUIRED = [
    "--raw_uri",
    "s3://raw-bucket/raw",
    "--curated_uri",
    "s3://lake/curated",
    "--quarantine_uri",
    "s3://lake/quarantine",
]


def test_optional_arguments_are_detected_in_both_spellings() -> None:
    argv = ["telegram_etl.py", *REQUIRED, "--start_date", "2024-03-01", "--end_date=2024-03-02"]
    assert present_options(argv, ("start_date", "end_date", "JOB_NAME")) == [
        "start_date",
        "end_date",
    ]


def test_parse_args_with_only_the_required_arguments() -> None:
    args = parse_args(["telegram_etl.py", *REQUIRED])
    assert (args["raw_uri"], args["curated_uri"], args["quarantine_uri"]) == (
        "s3://raw-bucket/raw",
        "s3://lake/curated",
        "s3://lake/quarantine",
    )
    assert "start_date" not in args
    assert "end_date" not in args
    assert args.get("JOB_NAME") is None
    assert args["JOB_RUN_ID"] is None


def test_parse_args_like_glue_passes_them() -> None:
    argv = [
        "telegram_etl.py",
        "--JOB_ID",
        "j_1",
        "--JOB_RUN_ID",
        "jr_0123abcd",
        "--JOB_NAME",
        "telegram-lake-etl",
        *REQUIRED,
        "--start_date",
        "2024-03-01",
        "--end_date",
        "2024-03-31",
        "--target_file_bytes",
        "1048576",
    ]
    args = parse_args(argv)
    assert args["JOB_NAME"] == "telegram-lake-etl"
    assert args["JOB_RUN_ID"] == "jr_0123abcd"
    assert (args["start_date"], args["end_date"]) == ("2024-03-01", "2024-03-31")
    assert args["target_file_bytes"] == "1048576"


def test_parse_args_fails_without_a_required_argument() -> None:
    with pytest.raises(GlueArgumentError, match="--curated_uri, --quarantine_uri"):
        parse_args(["telegram_etl.py", "--raw_uri", "s3://raw-bucket/raw"])


def test_the_scheduled_window_is_the_previous_utc_day() -> None:
    window = ArrivalWindow.resolve(None, None, today=date(2024, 3, 1))
    assert window == ArrivalWindow(date(2024, 2, 29), date(2024, 2, 29))


def test_a_window_is_inclusive_and_one_date_means_one_day() -> None:
    assert ArrivalWindow.resolve("2024-02-28", "2024-03-01", today=date(2024, 6, 1)).days() == [
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2024, 3, 1),
    ]
    assert ArrivalWindow.resolve("2024-03-05", None, today=date(2024, 6, 1)).days() == [
        date(2024, 3, 5)
    ]
    with pytest.raises(ValueError, match="after"):
        ArrivalWindow.resolve("2024-03-02", "2024-03-01", today=date(2024, 6, 1))


def test_run_ids_are_safe_path_segments() -> None:
    assert RUN_ID_PATTERN.match(new_run_id(datetime(2024, 3, 1, 2, 3, 4, tzinfo=UTC)))
    assert RUN_ID_PATTERN.match("jr_0123abcdef")
    assert not RUN_ID_PATTERN.match("../escape")


def test_importing_the_entry_script_runs_nothing() -> None:
    code = (
        "import sys, glue_jobs.telegram_etl as entry; "
        "print('pyspark.sql' in sys.modules, 'awsglue' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["False", "False"]


def test_job_config_from_glue_arguments() -> None:
    args = parse_args(
        [
            "telegram_etl.py",
            "--JOB_RUN_ID",
            "jr_0123abcd",
            *REQUIRED,
            "--start_date",
            "2024-03-01",
            "--target_file_bytes",
            "1048576",
        ]
    )
    config = JobConfig.from_options(args)
    assert config == JobConfig(
        raw_uri="s3://raw-bucket/raw",
        curated_uri="s3://lake/curated",
        quarantine_uri="s3://lake/quarantine",
        start_date="2024-03-01",
        end_date=None,
        run_id="jr_0123abcd",  # Glue's run id names the run summary
        target_file_bytes=1048576,
    )
    assert config.window(today=date(2024, 6, 1)).days() == [date(2024, 3, 1)]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"run_id": "../escape"}, "run_id"),
        ({"target_file_bytes": "0"}, "target_file_bytes"),
        ({"open_cost_bytes": "lots"}, "invalid literal"),
    ],
)
def test_job_config_refuses_bad_arguments(options: dict[str, str], message: str) -> None:
    uris = {"raw_uri": "r", "curated_uri": "c", "quarantine_uri": "q"}
    with pytest.raises(ValueError, match=message):
        JobConfig.from_options({**uris, **options})
