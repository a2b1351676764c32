"""Ingest numbers: cold import time, in-process handler latency, local server throughput.

    python -m bench.ingest [--quick] [--requests N] [--connections 1,4]

`python -m bench` runs it as one part of the suite (`--skip-ingest` leaves it out).

Writes raw files only into a temporary directory (deleted afterwards) and prints one JSON
document to stdout. The server runs in its own process (like a deployment: the client does
not share its GIL), the client sends real HTTP/1.1 requests over keep-alive connections.
Numbers depend on the machine: the JSON records cpu count and Python version.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from devtools.local_server import build_event
from ingest_lambda.handler import Ingestor, JsonLineLog
from ingest_lambda.settings import Settings
from ingest_lambda.storage import FileSink
from lake.zones import JSON_FILE_GLOB, PARTITION_PREFIX

REPO_ROOT = Path(__file__).resolve().parent.parent

SECRET = "bench-secret-token_0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_UPDATE_ID = 800_000_000
TARGETS = {"handler_p50_ms": 1.0, "cold_import_ms": 300.0, "server_updates_per_s": 500.0}
# Every webhook object the local file sink stored: `dt=*/*.json` under the raw root.
STORED_GLOB = f"{PARTITION_PREFIX}*/{JSON_FILE_GLOB}"
LOCAL_SERVER_MODULE = "devtools.local_server"


def sample_update(update_id: int) -> bytes:
    """A typical group text message (~500 bytes, compact JSON as Telegram sends it)."""
    user_id = 100_000_000 + update_id % 97
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id - FIRST_UPDATE_ID + 1,
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": "Алиса",
                "last_name": "Example",
                "username": f"user{user_id}",
                "language_code": "ru",
            },
            "chat": {
                "id": -1001234567890,
                "title": "Benchmark group",
                "is_forum": False,
                "type": "supergroup",
            },
            "date": 1_764_000_000 + update_id % 86_400,
            "text": "Hello everyone, how is the pipeline doing today? " * 3,
            "entities": [{"offset": 0, "length": 5, "type": "bold"}],
        },
    }
    return json.dumps(update, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def measure_import(runs: int = 7) -> dict[str, Any]:
    """Cold import of the handler in fresh interpreters, interleaved with an empty baseline.

    `cold_import_ms` = median wall(python -c "import ingest_lambda.handler") minus median
    wall(python -c "pass"): what the handler adds to a cold start. `s3_path_init_ms` adds
    `import boto3` + creating an S3 client (what the S3/Firehose/SSM paths add at init).
    """
    commands = {
        "baseline": "pass",
        "handler": "import ingest_lambda.handler",
        "handler_boto3": (
            "import ingest_lambda.handler, boto3; boto3.client('s3', region_name='us-east-1')"
        ),
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    importtime_ms: list[float] = []
    for _ in range(runs):
        for name, code in commands.items():
            cpu_before = _children_cpu_s()
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)
            walls[name].append((time.perf_counter() - started) * 1000)
            cpus[name].append((_children_cpu_s() - cpu_before) * 1000)
        importtime_ms.append(_importtime_ms())
    wall = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    return {
        "runs": runs,
        "cold_import_ms": round(wall["handler"] - wall["baseline"], 1),
        "cold_import_cpu_ms": round(cpu["handler"] - cpu["baseline"], 1),
        "importtime_cumulative_ms": round(statistics.median(importtime_ms), 1),
        "interpreter_start_ms": round(wall["baseline"], 1),
        "s3_path_init_ms": round(wall["handler_boto3"] - wall["baseline"], 1),
        "s3_path_init_cpu_ms": round(cpu["handler_boto3"] - cpu["baseline"], 1),
        "command": 'python -X importtime -c "import ingest_lambda.handler"',
    }


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _importtime_ms() -> float:
    """Sum of the top-level `ingest_lambda*` cumulative times reported by -X importtime."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import ingest_lambda.handler"],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    total_us = 0
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (ingest_lambda\S*)$", line)
        if match:  # no indentation before the name: a top-level import of ours
            total_us += int(match.group(1))
    return total_us / 1000


def measure_handler(requests: int, warmup: int = 200, tmp_dir: str | None = None) -> dict[str, Any]:
    """In-process latency of `Ingestor.__call__` with the local file sink and logging on."""
    with (
        tempfile.TemporaryDirectory(prefix="ingest-bench-", dir=tmp_dir) as tmp,
        open(os.devnull, "w") as null,
    ):
        settings = Settings(webhook_secret=SECRET, raw_uri=Path(tmp).as_uri(), raw_sink="file")
        ingestor = Ingestor(settings, FileSink(tmp), log=JsonLineLog(null))
        headers = [("Content-Type", "application/json"), (SECRET_HEADER, SECRET)]
        events = [
            build_event(method="POST", target="/", headers=headers, body=sample_update(update_id))
            for update_id in range(FIRST_UPDATE_ID, FIRST_UPDATE_ID + warmup + requests)
        ]
        timings: list[float] = []
        cpu_started = 0.0
        for index, event in enumerate(events):
            if index == warmup:
                cpu_started = time.process_time()
            started = time.perf_counter()
            response = ingestor(event, None)
            elapsed = time.perf_counter() - started
            if response["statusCode"] != 200:
                raise RuntimeError(f"handler returned {response['statusCode']}")
            if index >= warmup:
                timings.append(elapsed * 1000)
        cpu_ms_per_request = (time.process_time() - cpu_started) * 1000 / requests
        stored = sum(1 for _ in Path(tmp).glob(STORED_GLOB))
    timings.sort()
    return {
        "requests": requests,
        "sink": "file (atomic temp + rename, no fsync)",
        "body_bytes": len(sample_update(FIRST_UPDATE_ID)),
        "stored": stored,
        "p50_ms": round(_percentile(timings, 0.50), 4),
        "p90_ms": round(_percentile(timings, 0.90), 4),
        "p99_ms": round(_percentile(timings, 0.99), 4),
        "mean_ms": round(statistics.fmean(timings), 4),
        "cpu_ms_per_request": round(cpu_ms_per_request, 4),
    }


def measure_server(requests: int, connections: int, tmp_dir: str | None = None) -> dict[str, Any]:
    """Sustained updates/s through `python -m devtools.local_server` (own process)."""
    with tempfile.TemporaryDirectory(prefix="ingest-bench-", dir=tmp_dir) as tmp:
        env = {**os.environ, "RAW_URI": Path(tmp).as_uri(), "WEBHOOK_SECRET": SECRET}
        env.pop("WEBHOOK_SECRET_PARAM", None)
        env.pop("RAW_SINK", None)
        server = subprocess.Popen(
            [sys.executable, "-m", LOCAL_SERVER_MODULE, "--port", "0", "--quiet"],
            env=env,
            cwd=REPO_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stderr is not None
            first_line = server.stderr.readline()
            match = re.search(r"http://([\d.]+):(\d+)/", first_line)
            if not match:
                raise RuntimeError(f"server did not start: {first_line!r}")
            host, port = match.group(1), int(match.group(2))
            bodies = [
                sample_update(update_id)
                for update_id in range(FIRST_UPDATE_ID, FIRST_UPDATE_ID + requests)
            ]
            statuses: list[int] = []
            lock = threading.Lock()

            def client(part: list[bytes]) -> None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
                seen: list[int] = []
                for body in part:
                    conn.request("POST", "/", body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    seen.append(response.status)
                conn.close()
                with lock:
                    statuses.extend(seen)

            parts = [bodies[i::connections] for i in range(connections)]
            threads = [threading.Thread(target=client, args=(part,)) for part in parts]
            started = time.perf_counter()
            client_cpu_started = time.process_time()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
            client_cpu_s = time.process_time() - client_cpu_started
        finally:
            server.terminate()
            server_cpu_s = _reap_cpu_s(server)
        stored = sum(1 for _ in Path(tmp).glob(STORED_GLOB))
    return {
        "connections": connections,
        "requests": requests,
        "ok": statuses.count(200),
        "stored": stored,
        "seconds": round(seconds, 3),
        "updates_per_s": round(requests / seconds, 1),
        # Contention-proof view: server CPU per update (start-up included) and the rate one
        # fully available core would sustain.
        "server_cpu_ms_per_update": round(server_cpu_s * 1000 / requests, 4),
        "updates_per_server_cpu_s": round(requests / server_cpu_s, 1) if server_cpu_s else None,
        "client_cpu_ms_per_update": round(client_cpu_s * 1000 / requests, 4),
    }


def _reap_cpu_s(process: subprocess.Popen[str]) -> float:
    """Wait for `process` and return its user+system CPU seconds (from wait4's rusage)."""
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except ChildProcessError:  # already reaped elsewhere: CPU unknown
        return 0.0
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def run(
    *,
    requests: int = 5000,
    import_runs: int = 7,
    connections: Sequence[int] = (1, 4),
    tmp_dir: str | None = None,
) -> dict[str, Any]:
    """All ingest numbers as one JSON-serialisable dict.

    `tmp_dir` is where the raw files go (default: the system temp dir); file creation is the
    largest single cost, so the disk under it matters.
    """
    import_numbers = measure_import(import_runs)
    handler_numbers = measure_handler(requests, tmp_dir=tmp_dir)
    server_numbers = [measure_server(requests, n, tmp_dir=tmp_dir) for n in connections]
    best_rate = max(item["updates_per_s"] for item in server_numbers)
    return {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # Other work on the machine inflates every number: record how busy it was.
            "load_average_1m": round(os.getloadavg()[0], 2),
            "raw_dir": tmp_dir or tempfile.gettempdir(),
        },
        "import": import_numbers,
        "handler": handler_numbers,
        "server": server_numbers,
        "targets": {
            "handler_p50_ms<=1": handler_numbers["p50_ms"] <= TARGETS["handler_p50_ms"],
            "cold_import_ms<=300": import_numbers["cold_import_ms"] <= TARGETS["cold_import_ms"],
            "server_updates_per_s>=500": best_rate >= TARGETS["server_updates_per_s"],
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1000 requests, 3 import runs")
    parser.add_argument("--requests", type=int, help="requests per measurement (default 5000)")
    parser.add_argument("--connections", default="1,4", help="server client connections")
    parser.add_argument("--tmp-dir", help="where raw files are written (default system temp)")
    args = parser.parse_args(argv)
    requests = args.requests or (1000 if args.quick else 5000)
    connections = tuple(int(n) for n in args.connections.split(","))
    result = run(
        requests=requests,
        import_runs=3 if args.quick else 7,
        connections=connections,
        tmp_dir=args.tmp_dir,
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
