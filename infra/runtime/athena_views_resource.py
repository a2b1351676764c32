"""CloudFormation custom resource: create or replace the Athena views on every deploy.

Runs in Lambda (stdlib + boto3 only). Its asset holds this module and `athena_views/runner.py`
(the start-and-poll runner `python -m athena_views deploy` uses too), nothing else of the
repository. Reads the resource properties CloudFormation sends: `WorkGroup`, `Database`,
`Catalog` and `Views` (a list of `{"Name", "Sql"}` in dependency order; `Sql` is a complete
Athena statement, already rendered for the configured timezone at synth time). Writes:
Athena views in the Glue database (through the workgroup, so results land in the
workgroup's enforced, encrypted location), and the response document to the pre-signed
`ResponseURL`.

Create/Update run every statement in order and wait for each (a view may select from the
previous one) and fail the deployment with Athena's error message if one fails; Update also
drops views that are no longer in the list. Delete drops the views, best effort: it never
blocks a stack deletion.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import boto3  # part of the Lambda Python runtime

from athena_views.runner import DEFAULT_CATALOG, AthenaQueryError, run_query

# Leave time to send the response before Lambda's own timeout kills us.
_SAFETY_MARGIN_SECONDS = 15.0
_REASON_LIMIT = 3000

#: How many seconds a statement may still wait (the time the function has left).
SecondsLeft = Callable[[], float]


class ViewDeployError(RuntimeError):
    """A view statement failed in Athena; the message is what CloudFormation shows."""


def physical_id(props: dict[str, Any]) -> str:
    return f"{props['WorkGroup']}/{props['Database']}/views"


def run_statement(
    athena: Any,
    sql: str,
    props: dict[str, Any],
    *,
    seconds_left: SecondsLeft,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Run one statement where `props` say and wait for it, at most `seconds_left()`.

    Returns the query execution id; raises `AthenaQueryError` if it fails or runs too long.
    """
    return run_query(
        athena,
        sql,
        workgroup=props["WorkGroup"],
        database=props["Database"],
        catalog=props.get("Catalog", DEFAULT_CATALOG),
        timeout_seconds=max(seconds_left(), 0.0),
        sleep=sleep,
    )


def view_names(props: dict[str, Any] | None) -> list[str]:
    return [str(view["Name"]) for view in (props or {}).get("Views", [])]


def drop_views(
    athena: Any,
    names: Sequence[str],
    props: dict[str, Any],
    *,
    seconds_left: SecondsLeft,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Drop views in reverse dependency order; return the names that could not be dropped."""
    failed = []
    for name in reversed(list(names)):
        try:
            run_statement(
                athena,
                f'DROP VIEW IF EXISTS "{name}"',
                props,
                seconds_left=seconds_left,
                sleep=sleep,
            )
        except Exception as exc:  # best effort: report, go on with the others
            print(json.dumps({"action": "drop_view", "view": name, "error": str(exc)}))
            failed.append(name)
    return failed


def handle(
    event: dict[str, Any],
    athena: Any,
    *,
    seconds_left: SecondsLeft,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, str]:
    """Apply the request; return the response `Data`. Raises ViewDeployError on failure."""
    request = event["RequestType"]
    props = event["ResourceProperties"]
    if request == "Delete":
        failed = drop_views(
            athena, view_names(props), props, seconds_left=seconds_left, sleep=sleep
        )
        return {"NotDropped": ",".join(failed)}

    for view in props.get("Views", []):
        try:
            run_statement(athena, str(view["Sql"]), props, seconds_left=seconds_left, sleep=sleep)
        except AthenaQueryError as exc:
            raise ViewDeployError(f"view {view['Name']}: {exc}") from exc
        print(json.dumps({"action": "create_view", "view": view["Name"], "state": "SUCCEEDED"}))

    if request == "Update":
        old = event.get("OldResourceProperties") or {}
        same_place = physical_id(old) == physical_id(props) if old else False
        gone = [name for name in view_names(old) if name not in set(view_names(props))]
        # A move to another database/workgroup is a replacement: CloudFormation sends a
        # Delete for the old physical id, which drops the old views there.
        if same_place and gone:
            drop_views(athena, gone, props, seconds_left=seconds_left, sleep=sleep)
    return {"Views": ",".join(view_names(props))}


def send_response(
    event: dict[str, Any],
    status: str,
    *,
    reason: str = "",
    data: dict[str, str] | None = None,
    opener: Callable[..., Any] = urllib.request.urlopen,
) -> None:
    """PUT the result document to CloudFormation's pre-signed URL."""
    try:
        resource_id = physical_id(event.get("ResourceProperties") or {})
    except KeyError:
        resource_id = event["LogicalResourceId"]
    if status == "FAILED" or event["RequestType"] == "Delete":
        # A failed update must keep the id CloudFormation knows (a new id means
        # "replaced"); a delete answers for the resource it was asked about.
        resource_id = event.get("PhysicalResourceId") or resource_id
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason[:_REASON_LIMIT] or "see the function's CloudWatch log",
            "PhysicalResourceId": resource_id,
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data or {},
        }
    ).encode("utf-8")
    request = urllib.request.Request(
        event["ResponseURL"],
        data=body,
        method="PUT",
        # The pre-signed URL is signed without a content type.
        headers={"Content-Type": "", "Content-Length": str(len(body))},
    )
    with opener(request, timeout=30) as response:
        response.read()


def time_budget(context: Any) -> SecondsLeft:
    """Seconds a statement may still wait: the function's remaining time, less the margin
    that the response to CloudFormation needs."""

    def seconds_left() -> float:
        return float(context.get_remaining_time_in_millis()) / 1000 - _SAFETY_MARGIN_SECONDS

    return seconds_left


def handler(event: dict[str, Any], context: Any) -> None:
    """Lambda entry point: always answers CloudFormation, whatever happens."""
    print(
        json.dumps(
            {
                "request": event.get("RequestType"),
                "views": view_names(event.get("ResourceProperties")),
            }
        )
    )
    try:
        data = handle(event, boto3.client("athena"), seconds_left=time_budget(context))
    except Exception as exc:
        # On Delete never fail: a stuck view must not keep a stack from being deleted.
        if event.get("RequestType") == "Delete":
            send_response(event, "SUCCESS", reason=f"ignored on delete: {exc}")
            return
        print(json.dumps({"error": str(exc)}))
        send_response(event, "FAILED", reason=str(exc))
        return
    send_response(event, "SUCCESS", data=data)
