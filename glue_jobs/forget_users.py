"""Glue / spark-submit entry script of the erasure job (thin: parse, session, run).

    spark-submit glue_jobs/forget_users.py --raw_uri URI --curated_uri URI \
        --quarantine_uri URI --privacy_key_uri KEY (--user_ids ID[,ID...] | --user_ids_uri URI)
        [--erasure_id ID] [--io_threads N] [--target_file_bytes N] [--JOB_NAME N]

`--privacy_key_uri`: `file://...` or a plain path to the key file, or
`secretsmanager:NAME_OR_ARN`. The arguments are the fields of
`glue_jobs.erasure.config.ErasureConfig`. Reads and writes what `glue_jobs.erasure.job.run`
does (every zone of the lake); prints the audit record as one JSON line (never an id).
Exit status 2 for bad input, a missing permission or an unusable key: nothing changed.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

APP_NAME = "telegram-lake-forget-users"
SPARK_LOG_LEVEL = "WARN"


def parse_args(argv: list[str]) -> dict[str, Any]:
    """getResolvedOptions over the required names plus the optional ones present in argv."""
    from awsglue.utils import getResolvedOptions  # noqa: PLC0415

    from glue_jobs.erasure.config import OPTIONAL_OPTIONS, REQUIRED_OPTIONS  # noqa: PLC0415
    from glue_jobs.telegram_etl import present_options  # noqa: PLC0415

    names = [*REQUIRED_OPTIONS, *present_options(argv, (*OPTIONAL_OPTIONS, "JOB_NAME"))]
    resolved: dict[str, Any] = getResolvedOptions(argv, names)
    return resolved


def main(argv: list[str]) -> int:
    # Logs go to stderr (the Glue console / CloudWatch); stdout carries only the audit record.
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
        force=True,
    )
    logging.getLogger("py4j").setLevel(logging.WARNING)
    from glue_jobs.erasure.config import ErasureConfig, ErasureInputError  # noqa: PLC0415
    from glue_jobs.erasure.job import run  # noqa: PLC0415
    from glue_jobs.erasure.stores import ErasurePermissionError  # noqa: PLC0415
    from glue_jobs.telegram_etl import start_session  # noqa: PLC0415
    from lake.privacy import PrivacyKeyError, RegisterError  # noqa: PLC0415

    try:
        args = parse_args(argv)
        config = ErasureConfig.from_options(args)  # a bad id fails before Spark starts
    except ErasureInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    spark, glue_job = start_session(args.get("JOB_NAME") or APP_NAME, args)
    # Spark's INFO lines print query plans and pushed filters, which hold the ids being
    # erased: this job's log (CloudWatch on Glue) keeps warnings and its own lines only.
    spark.sparkContext.setLogLevel(SPARK_LOG_LEVEL)
    try:
        record = run(spark, config)
    except (ErasureInputError, ErasurePermissionError, PrivacyKeyError, RegisterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(record, sort_keys=False), flush=True)
    if glue_job is not None:
        glue_job.commit()
    return 0


def use_checkout_packages() -> None:
    """Import `glue_jobs` and `lake` from the checkout that holds this script (see
    `glue_jobs.telegram_etl.use_checkout_packages`: on Glue they come from the zip)."""
    package_dir = Path(__file__).resolve().parent
    if (package_dir / "__init__.py").exists():
        sys.path.insert(0, str(package_dir.parent))


if __name__ == "__main__":
    use_checkout_packages()
    sys.exit(main(sys.argv))
