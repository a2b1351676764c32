"""Glue / spark-submit entry script of the telegram-lake ETL job (thin: parse, session, run).

    spark-submit glue_jobs/telegram_etl.py --raw_uri URI --curated_uri URI \
        --quarantine_uri URI [--start_date YYYY-MM-DD] [--end_date YYYY-MM-DD] [--JOB_NAME N]
        [--run_id ID] [--target_file_bytes N] [--max_partition_bytes N]
        [--open_cost_bytes N] [--ndjson_min_partitions N]

The arguments are the fields of `glue_jobs.config.JobConfig`. Reads and writes what
`glue_jobs.job.run` does; prints the run summary as one JSON line.
On AWS Glue (where `awsglue.context.GlueContext` works) the job runs inside a GlueContext
with `Job.init` / `Job.commit`; anywhere else in a plain SparkSession.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

APP_NAME = "telegram-lake-etl"
#: JVM loggers that write one INFO line per input file (100,000 lines for a webhook day, in
#: the driver log and in CloudWatch on Glue): raised to WARN.
PER_FILE_LOGGERS: tuple[str, ...] = ("org.apache.spark.sql.execution.datasources.FileScanRDD",)


def present_options(argv: list[str], names: tuple[str, ...]) -> list[str]:
    """Names given as `--name value` or `--name=value` in argv."""
    return [
        name
        for name in names
        if any(arg == f"--{name}" or arg.startswith(f"--{name}=") for arg in argv[1:])
    ]


def parse_args(argv: list[str]) -> dict[str, Any]:
    """getResolvedOptions over the required names plus the optional ones present in argv.

    Returns everything it resolves (Glue's own JOB_RUN_ID, bookmark options, ... included:
    Job.init wants them); an optional argument that is absent is simply not a key.
    """
    from awsglue.utils import getResolvedOptions  # noqa: PLC0415

    from glue_jobs.config import OPTIONAL_OPTIONS, REQUIRED_OPTIONS  # noqa: PLC0415

    names = [*REQUIRED_OPTIONS, *present_options(argv, (*OPTIONAL_OPTIONS, "JOB_NAME"))]
    resolved: dict[str, Any] = getResolvedOptions(argv, names)
    return resolved


# Imports inside functions on purpose: nothing runs at import, the project's packages load
# only after use_checkout_packages(), and awsglue's Glue-only parts are optional.


def start_session(job_name: str | None, args: dict[str, Any]) -> tuple[SparkSession, Any]:
    """(spark, glue_job): a GlueContext-backed session on Glue, else a plain one (job None)."""
    from pyspark.sql import SparkSession  # noqa: PLC0415

    try:
        from awsglue.context import GlueContext  # noqa: PLC0415
        from awsglue.job import Job  # noqa: PLC0415
        from pyspark.context import SparkContext  # noqa: PLC0415

        glue_context = GlueContext(SparkContext.getOrCreate())
    except Exception:  # no Glue runtime (the JVM side exists only on Glue): plain Spark
        return SparkSession.builder.appName(job_name or APP_NAME).getOrCreate(), None
    job = Job(glue_context)
    job.init(job_name or APP_NAME, args)
    return glue_context.spark_session, job


def quiet_per_file_logs(spark: SparkSession) -> None:
    """Raise PER_FILE_LOGGERS to WARN through log4j 2 (Spark 3.5's logging, Glue's too)."""
    jvm = spark.sparkContext._jvm
    if jvm is None:
        return
    log4j = jvm.org.apache.logging.log4j
    for name in PER_FILE_LOGGERS:
        log4j.core.config.Configurator.setLevel(name, log4j.Level.WARN)


def main(argv: list[str]) -> int:
    # Logs go to stderr (the Glue console / CloudWatch); stdout carries only the summary.
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
        force=True,
    )
    logging.getLogger("py4j").setLevel(logging.WARNING)
    from glue_jobs.config import JobConfig  # noqa: PLC0415
    from glue_jobs.job import run  # noqa: PLC0415

    args = parse_args(argv)
    config = JobConfig.from_options(args)  # fails on a bad argument before Spark starts
    spark, glue_job = start_session(args.get("JOB_NAME"), args)
    quiet_per_file_logs(spark)
    summary = run(spark, config)
    print(json.dumps(summary, sort_keys=False), flush=True)
    if glue_job is not None:
        glue_job.commit()
    return 0


def use_checkout_packages() -> None:
    """Import `glue_jobs` and `lake` from the checkout that holds this script.

    Run from a repository (spark-submit, the demo, the tests) the script's own checkout
    wins over any installed copy; on Glue the packages come from `--extra-py-files` and
    the script's folder holds no package.
    """
    package_dir = Path(__file__).resolve().parent
    if (package_dir / "__init__.py").exists():
        sys.path.insert(0, str(package_dir.parent))


if __name__ == "__main__":
    use_checkout_packages()
    sys.exit(main(sys.argv))
