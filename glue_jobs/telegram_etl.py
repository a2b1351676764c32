"""Glue / spark-submit entry script of the telegram-lake ETL job (thin: parse, session, run).

    spark-submit glue_jobs/telegram_etl.py --raw_uri URI --curated_uri URI \
        --quarantine_uri URI [--start_date YYYY-MM-DD] [--end_date YYYY-MM-DD] [--JOB_NAME N]

Reads and writes what `glue_jobs.job.run` does; prints the run summary as one JSON line.
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

REQUIRED_ARGS: tuple[str, ...] = ("raw_uri", "curated_uri", "quarantine_uri")
#: Integer tunables of `glue_jobs.job.run`.
INT_ARGS: tuple[str, ...] = (
    "target_file_bytes",
    "max_partition_bytes",
    "open_cost_bytes",
    "ndjson_min_partitions",
)
#: Optional arguments: getResolvedOptions only knows required ones, so these are requested
#: only when present on the command line.
OPTIONAL_ARGS: tuple[str, ...] = ("start_date", "end_date", "JOB_NAME", "run_id", *INT_ARGS)
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

    names = [*REQUIRED_ARGS, *present_options(argv, OPTIONAL_ARGS)]
    resolved: dict[str, Any] = getResolvedOptions(argv, names)
    return resolved


# Imports inside functions on purpose: pyspark and glue_jobs load only after
# use_package_path() has fixed sys.path, and awsglue's Glue-only parts are optional.


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
    from glue_jobs.job import run  # noqa: PLC0415

    args = parse_args(argv)
    spark, glue_job = start_session(args.get("JOB_NAME"), args)
    quiet_per_file_logs(spark)
    tunables = {name: int(args[name]) for name in INT_ARGS if args.get(name)}
    summary = run(
        spark,
        raw_uri=args["raw_uri"],
        curated_uri=args["curated_uri"],
        quarantine_uri=args["quarantine_uri"],
        start_date=args.get("start_date"),
        end_date=args.get("end_date"),
        # On Glue, the job run id names the run summary, so the two are easy to match.
        run_id=args.get("run_id") or args.get("JOB_RUN_ID"),
        **tunables,
    )
    print(json.dumps(summary, sort_keys=False), flush=True)
    if glue_job is not None:
        glue_job.commit()
    return 0


def use_package_path() -> None:
    """Make `glue_jobs` importable as a package, not its modules as top-level ones.

    Python puts the script's folder (glue_jobs/) first on sys.path, where `io.py`,
    `schema.py`, ... would shadow same-named top-level modules. Replace it by the folder that
    holds the package (a repo checkout; on Glue the package comes from --extra-py-files).
    """
    script_dir = Path(__file__).resolve().parent
    if sys.path and sys.path[0] and Path(sys.path[0]).resolve() == script_dir:
        sys.path.pop(0)
    if (script_dir / "__init__.py").exists() and str(script_dir.parent) not in sys.path:
        sys.path.insert(0, str(script_dir.parent))


if __name__ == "__main__":
    use_package_path()
    sys.exit(main(sys.argv))
