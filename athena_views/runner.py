"""Run one Athena statement and wait for it: the project's only start-and-poll loop.

Two callers share it: `athena_views.deploy` (`python -m athena_views deploy`) and the CDK
custom resource that creates the views on every stack deploy
(`infra/runtime/athena_views_resource.py`, whose Lambda asset carries this module as
`athena_views/runner.py`). Standard library only, so that it runs in that Lambda as it is;
the caller passes the Athena client (boto3's, or moto's in the tests).

Reads the statement's state from Athena (`get_query_execution`); writes nothing itself:
the statement runs in the given workgroup and database (`start_query_execution`), and its
results land where the workgroup (or `output_location`) says.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_CATALOG = "AwsDataCatalog"
SUCCEEDED = "SUCCEEDED"
TERMINAL_STATES = frozenset({SUCCEEDED, "FAILED", "CANCELLED"})
DEFAULT_POLL_SECONDS = 1.0
DEFAULT_TIMEOUT_SECONDS = 300.0
NO_REASON = "no reason given"


class AthenaQueryError(RuntimeError):
    """An Athena statement ended FAILED or CANCELLED, or did not finish in time.

    The message names the query, its state, Athena's reason and the statement's first line:
    it is what the CLI prints and what CloudFormation shows for a failed deploy.
    """

    def __init__(self, query_execution_id: str, state: str, reason: str, sql: str) -> None:
        first_line = sql.strip().splitlines()[0] if sql.strip() else ""
        super().__init__(f"Athena query {query_execution_id} {state}: {reason} [{first_line}]")
        self.query_execution_id = query_execution_id
        self.state = state
        self.reason = reason
        self.sql = sql


def start_query(
    client: Any,
    sql: str,
    *,
    workgroup: str,
    database: str,
    catalog: str = DEFAULT_CATALOG,
    output_location: str | None = None,
) -> str:
    """Start one statement; return its query execution id.

    `output_location` is only needed when the workgroup does not enforce one (the stack's
    workgroup does, so the custom resource never passes it).
    """
    request: dict[str, Any] = {
        "QueryString": sql,
        "QueryExecutionContext": {"Database": database, "Catalog": catalog},
        "WorkGroup": workgroup,
    }
    if output_location:
        request["ResultConfiguration"] = {"OutputLocation": output_location}
    query_execution_id: str = client.start_query_execution(**request)["QueryExecutionId"]
    return query_execution_id


def failure_reason(status: dict[str, Any]) -> str:
    """Athena's explanation of a FAILED or CANCELLED query, from its `Status`."""
    reason = status.get("StateChangeReason") or status.get("AthenaError", {}).get("ErrorMessage")
    return str(reason) if reason else NO_REASON


def wait_for_query(
    client: Any,
    query_execution_id: str,
    sql: str,
    *,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll until the query succeeds; raise AthenaQueryError if it fails or runs too long.

    The state is read at least once, even with no time left: a statement that is already
    done is never reported as timed out.
    """
    deadline = clock() + timeout_seconds
    while True:
        execution = client.get_query_execution(QueryExecutionId=query_execution_id)
        status = execution["QueryExecution"]["Status"]
        state = str(status["State"])
        if state == SUCCEEDED:
            return
        if state in TERMINAL_STATES:
            raise AthenaQueryError(query_execution_id, state, failure_reason(status), sql)
        if clock() >= deadline:
            waited = f"{round(timeout_seconds, 1):g}"
            raise AthenaQueryError(
                query_execution_id, state, f"still {state} after {waited} s", sql
            )
        sleep(poll_seconds)


def run_query(
    client: Any,
    sql: str,
    *,
    workgroup: str,
    database: str,
    catalog: str = DEFAULT_CATALOG,
    output_location: str | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Run one statement, wait until it succeeds, return its query execution id.

    Raises AthenaQueryError with Athena's reason when the statement ends FAILED or
    CANCELLED, or when it is still queued or running after `timeout_seconds`.
    """
    query_execution_id = start_query(
        client,
        sql,
        workgroup=workgroup,
        database=database,
        catalog=catalog,
        output_location=output_location,
    )
    wait_for_query(
        client,
        query_execution_id,
        sql,
        poll_seconds=poll_seconds,
        timeout_seconds=timeout_seconds,
        sleep=sleep,
        clock=clock,
    )
    return query_execution_id
