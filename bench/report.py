"""Render the benchmark results (a JSON-able dict built by `bench.__main__`) as Markdown.

Pure: reads nothing, writes nothing; `bench.__main__` writes the text to `bench/RESULTS.md`.
"""

from __future__ import annotations

import json
from typing import Any

from bench.stats import ratio, summarize

MB = 1024 * 1024
VARIANT_LABELS = {
    "job": "Glue job (spark-submit)",
    "python": "A: Python baseline (json.load + pyarrow)",
    "duckdb": "B: DuckDB baseline",
    "io_floor": "C: I/O floor (read every byte)",
    "job_empty": "Glue job, empty window (start-up floor)",
}
VARIANT_ORDER = ("job", "python", "duckdb", "io_floor", "job_empty")


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _mark(met: bool | None) -> str:
    return "n/a" if met is None else ("yes" if met else "**no**")


def _metric(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [float(r[key]) for r in runs if r.get(key) is not None]


def variant_summary(runs: list[dict[str, Any]], lines: int) -> dict[str, Any]:
    """Medians (and wall range) of the successful runs of one variant."""
    ok = [r for r in runs if r["returncode"] == 0]
    if not ok:
        return {"ok": 0, "failed": len(runs)}
    wall = summarize(_metric(ok, "wall_s"))
    cpu = summarize(_metric(ok, "cpu_s"))
    out: dict[str, Any] = {
        "ok": len(ok),
        "failed": len(runs) - len(ok),
        "wall": wall,
        "cpu_s": cpu.median,
        "max_rss_mb": summarize(_metric(ok, "max_rss_bytes")).median / MB,
        "tree_rss_mb": summarize(_metric(ok, "tree_rss_bytes")).median / MB,
        "updates_per_s": lines / wall.median if wall.median else None,
    }
    last = ok[-1]
    for key in ("output_bytes", "max_files_per_partition", "partitions", "messages_rows"):
        out[key] = last.get(key)
    return out


def _size_table(size: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    dataset = size["dataset"]
    summaries = {
        key: variant_summary(size["runs"][key], dataset["raw_lines"])
        for key in VARIANT_ORDER
        if key in size["runs"]
    }
    rows = [
        "| variant | wall s median [min-max] | CPU s | peak RSS MB (largest proc / tree) "
        "| updates/s | output / raw JSON bytes | files per partition (max) | messages rows |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, s in summaries.items():
        label = VARIANT_LABELS[key]
        if not s["ok"]:
            rows.append(f"| {label} | failed ({s['failed']} runs) | | | | | | |")
            continue
        wall = s["wall"]
        spread = f"{_fmt(wall.median)} [{_fmt(wall.low)}-{_fmt(wall.high)}]"
        out_ratio = (
            _fmt(100 * s["output_bytes"] / dataset["json_bytes"], 1) + " %"
            if s.get("output_bytes")
            else "-"
        )
        rows.append(
            f"| {label} | {spread} | {_fmt(s['cpu_s'])} "
            f"| {_fmt(s['max_rss_mb'], 0)} / {_fmt(s['tree_rss_mb'], 0)} "
            f"| {_fmt(s['updates_per_s'], 0)} | {out_ratio} "
            f"| {s.get('max_files_per_partition') or '-'} | {s.get('messages_rows') or '-'} |"
        )
    return rows, summaries


def _median_wall(summaries: dict[str, dict[str, Any]], key: str) -> float | None:
    s = summaries.get(key)
    return s["wall"].median if s and s.get("ok") else None


#: The performance targets of issue 18: (size, variant, baseline, limit, case, at filing).
#: "at filing" is what `bench/RESULTS.md` measured when the issue was filed, for comparison.
PERFORMANCE_TARGETS: tuple[tuple[str, str, str, float, str, str], ...] = (
    (
        "500",
        "job",
        "job_empty",
        1.6,
        "tiny day (500 updates), job / its empty-window floor",
        "~4-5",
    ),
    ("10k", "job", "job_empty", 2.0, "10k files, job / empty-window floor", "5.97"),
    ("100k", "job", "python", 4.0, "100k files, job / Python baseline", "6.91"),
    ("1m", "job", "python", 1.3, "1M NDJSON.gz, job / Python baseline", "2.04"),
    ("1m", "job", "duckdb", 2.0, "1M NDJSON.gz, job / DuckDB", "2.76"),
)
TEST_SUITE_TARGET_S = 360.0
TEST_SUITE_AT_FILING = "~5 min"


def _wall_ratio(
    summaries: dict[str, dict[str, Any]], a: str, b: str
) -> tuple[float, float, float] | None:
    """(a / b, a, b) of the median wall times of two variants, None unless both ran."""
    x, y = _median_wall(summaries, a), _median_wall(summaries, b)
    if x is None or y is None:
        return None
    r = ratio(x, y)
    return None if r is None else (r, x, y)


def performance_targets(
    results: dict[str, Any], per_size: dict[str, dict[str, dict[str, Any]]]
) -> list[tuple[str, str, str, str, bool | None]]:
    """(case, target, at filing, measured, met) for every performance target of issue 18.

    A case this run did not measure (a size not chosen, a skipped variant) is listed as
    "not measured" with met None, never dropped: the table always shows every target.
    """
    rows: list[tuple[str, str, str, str, bool | None]] = []
    for size, a, b, limit, case, before in PERFORMANCE_TARGETS:
        walls = _wall_ratio(per_size.get(size, {}), a, b)
        if walls is None:
            rows.append((case, f"<= {limit:g}", before, "not measured", None))
            continue
        r, x, y = walls
        measured = f"{_fmt(r)} ({_fmt(x)} s / {_fmt(y)} s)"
        rows.append((case, f"<= {limit:g}", before, measured, r <= limit))
    tests = results.get("tests") or {}
    wall = tests.get("wall_s")
    case = "`make test` wall time on 2 cores"
    target = f"<= {TEST_SUITE_TARGET_S / 60:g} min"
    if wall is None:
        rows.append((case, target, TEST_SUITE_AT_FILING, "not measured", None))
    else:
        passed = tests.get("returncode") == 0
        measured = f"{wall / 60:.1f} min ({tests.get('result') or 'no result line'})"
        rows.append(
            (case, target, TEST_SUITE_AT_FILING, measured, passed and wall <= TEST_SUITE_TARGET_S)
        )
    return rows


def targets(
    results: dict[str, Any], per_size: dict[str, dict[str, dict[str, Any]]]
) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for the other targets (issue 7) this run measured."""
    checks: list[tuple[str, str, bool | None]] = []
    if "100k" in per_size:
        text = "100k files: job <= 1.5x DuckDB"
        walls = _wall_ratio(per_size["100k"], "job", "duckdb")
        if walls is None:
            checks.append((text, "not measured", None))
        else:
            r, x, y = walls
            checks.append((text, f"{_fmt(r)}x ({_fmt(x)} s / {_fmt(y)} s)", r <= 1.5))
    for size, summaries in per_size.items():
        job = summaries.get("job")
        if not job or not job.get("ok"):
            continue
        json_bytes = results["sizes"][size]["dataset"]["json_bytes"]
        share = job["output_bytes"] / json_bytes if json_bytes else None
        checks.append(
            (
                f"{size}: job Parquet <= 20% of raw JSON bytes",
                f"{_fmt(100 * share if share is not None else None, 1)} %",
                share is not None and share <= 0.2,
            )
        )
        files = job.get("max_files_per_partition")
        checks.append((f"{size}: one file per partition (< 128 MB)", f"{files} max", files == 1))
    ingest = results.get("ingest") or {}
    if ingest.get("data"):
        data = ingest["data"]
        p50 = (data.get("handler") or {}).get("p50_ms")
        cold = (data.get("import") or {}).get("cold_import_ms")
        rates = [s.get("updates_per_s", 0) for s in data.get("server") or []]
        if p50 is not None:
            checks.append(("handler p50 <= 1 ms (in-process, file sink)", f"{p50} ms", p50 <= 1))
        if cold is not None:
            checks.append(("cold-start import <= 300 ms", f"{cold} ms", cold <= 300))
        if rates:
            best = max(rates)
            checks.append(("local server >= 500 updates/s", f"{best} updates/s", best >= 500))
    checks.extend(history_targets(results.get("history") or {}))
    views = results.get("views") or {}
    if views.get("data"):
        total = views["data"]["required_total_s"]
        rows = views["data"]["messages"]
        checks.append(
            (
                f"required views over {rows:,} messages <= 2 s together",
                f"{_fmt(total)} s",
                total <= 2.0,
            )
        )
    return checks


def history_targets(history: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """History import: messages/s on the largest single-chat export, flat peak memory."""
    data = history.get("data")
    if not data:
        return []
    checks: list[tuple[str, str, bool | None]] = []
    rate, target = data.get("largest_messages_per_s"), data["target_messages_per_s"]
    if rate is not None:
        text = f"history import >= {target:,} messages/s (largest export)"
        checks.append((text, f"{rate:,} messages/s", rate >= target))
    ratio_rss = data.get("rss_ratio_largest_to_smallest")
    if ratio_rss is not None:
        limit = data["flat_rss_ratio"]
        text = f"history import peak RSS flat (largest / smallest <= {limit})"
        checks.append((text, f"{ratio_rss}x", ratio_rss <= limit))
    return checks


def history_lines(history: dict[str, Any]) -> list[str]:
    data = history.get("data")
    if not data:
        return [history.get("note", "not run"), ""]
    out = [
        f"Command: `{history['command']}` (each import: `{data['runs'][0]['command']}`)",
        "",
        "| export | messages | export MB | updates | wall s | CPU s | messages/s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in data["runs"]:
        name = f"{run['size']} {'full-account' if run['kind'] == 'account' else 'single-chat'}"
        out.append(
            f"| {name} | {run['messages']:,} | {run['export_bytes'] / MB:,.1f} | "
            f"{run['updates'] or 0:,} | {_fmt(run['wall_s'])} | {_fmt(run['cpu_s'])} | "
            f"{run['messages_per_s'] or 0:,} | {run['max_rss_mb']} |"
        )
    return [*out, ""]


PROFILE_PARTS: tuple[tuple[str, str], ...] = (
    ("startup_s", "start-up (JVM, Python, Spark session)"),
    ("listing_s", "file listing"),
    ("stages_s", "Spark stages (reading, parsing, shuffles, writing)"),
    ("driver_s", "driver between stages (planning, code generation, scheduling, commit)"),
    ("shutdown_s", "shutdown"),
)


def profile_lines(run: dict[str, Any]) -> list[str]:
    """Where the job's wall time went (last run), from its driver log."""
    wall = float(run["wall_s"])
    overlap = bool(run.get("stages_overlap"))
    parts = [
        f"{text} {_fmt(run[key])} s ({_fmt(100 * float(run[key]) / wall, 0)} %)"
        for key, text in PROFILE_PARTS
        if run.get(key) is not None and wall > 0 and not (overlap and key == "stages_s")
    ]
    if overlap:
        parts.append(
            f"Spark stages {_fmt(run['stages_s'])} s summed, more than the run: some ran side "
            "by side, so the time between stages cannot be told apart"
        )
    return [
        f"Where the job's {_fmt(wall)} s went (last run, {run.get('spark_stages', 0)} Spark "
        "stages, from its driver log): " + "; ".join(parts) + "."
    ]


def materialized_lines(views: dict[str, Any]) -> list[str]:
    """The dashboard's path (staging materialized once), when the views bench measured it."""
    if views.get("materialized_required_total_s") is None:
        return []
    connect_s = float(views["materialized_connect_s"])
    total = float(views["materialized_required_total_s"])
    return [
        "With the staging views materialized once (`connect(..., materialize_staging=True)`, "
        f"the dashboard's path): materializing {_fmt(connect_s, 3)} s, then the required views "
        f"{_fmt(total, 3)} s; {_fmt(connect_s + total, 3)} s in all.",
        "",
    ]


def _load_note(machine: dict[str, Any], results: dict[str, Any]) -> str:
    loads = [x for x in (machine.get("load_start"), results.get("load_end")) if x is not None]
    cpus = machine.get("nproc")
    if not loads or not isinstance(cpus, int) or max(loads) <= cpus:
        return ""
    return (
        f" (**busy machine**: more runnable processes than its {cpus} CPUs, so wall times "
        "are inflated; CPU seconds and the ratios of interleaved runs are the steadier numbers)"
    )


def render(results: dict[str, Any]) -> str:
    machine = results["machine"]
    out = [
        "# Benchmark results",
        "",
        f"Generated by `{results['command']}` on {results['finished_at']} "
        f"({'quick mode' if results['quick'] else 'full mode'}, {results['repeats']} "
        "interleaved repeat(s) per variant). Regenerate with the same command; numbers "
        "depend on the machine and on what else runs on it (load average below).",
        "",
        "## Machine",
        "",
        f"- CPUs: {machine['nproc']} ({machine['cpu_model']})",
        f"- Memory: {machine['memory_gb']} GiB",
        f"- OS: {machine['platform']}",
        f"- Python {machine['python']}, Java: {machine['java']}",
        f"- PySpark {machine['pyspark']}, DuckDB {machine['duckdb']}, pyarrow {machine['pyarrow']}",
        f"- Load average (1 min) at start / end: {machine['load_start']} / "
        f"{results.get('load_end', 'n/a')}" + _load_note(machine, results),
        f"- spark-submit options: `{results.get('spark_options', '')}`",
        "",
        "## Inputs",
        "",
        "| dataset | layout | raw lines | files | raw bytes on disk | raw JSON bytes "
        "| generate s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, size in results["sizes"].items():
        d = size["dataset"]
        out.append(
            f"| {name} | {d['layout']} | {d['raw_lines']:,} | {d['raw_files']:,} "
            f"| {d['raw_bytes']:,} | {d['json_bytes']:,} | {d['generate_s']} |"
        )
    out += ["", "## Results", ""]
    per_size: dict[str, dict[str, dict[str, Any]]] = {}
    for name, size in results["sizes"].items():
        rows, summaries = _size_table(size)
        per_size[name] = summaries
        out += [f"### {name}: {size['dataset']['layout']}", "", *rows, ""]
        rows_written: set[int] = {
            int(s["messages_rows"])
            for s in summaries.values()
            if s.get("ok") and s.get("messages_rows")
        }
        if len(rows_written) == 1:
            out += [
                f"Every variant that writes output wrote the same {rows_written.pop():,} "
                "`messages` rows.",
                "",
            ]
        elif len(rows_written) > 1:
            out += [
                f"**`messages` row counts differ between variants**: {sorted(rows_written)}",
                "",
            ]
        job = _median_wall(summaries, "job")
        parts = []
        for key, text in (
            ("python", "job/Python"),
            ("duckdb", "job/DuckDB"),
            ("io_floor", "job/I-O floor"),
            ("job_empty", "job/start-up floor"),
        ):
            other = _median_wall(summaries, key)
            if job is not None and other is not None:
                parts.append(f"{text} = {_fmt(ratio(job, other))}x")
        if parts:
            out += ["Ratios of median wall times: " + ", ".join(parts) + ".", ""]
        job_runs = [r for r in size["runs"].get("job", []) if r.get("startup_s") is not None]
        if job_runs:
            out += [*profile_lines(job_runs[-1]), ""]
        if size.get("job_summary"):
            counts = size["job_summary"].get("counts", {})
            out += [f"Job run summary counts (last run): `{json.dumps(counts)}`", ""]
        if size.get("notes"):
            out += [*(f"- {n}" for n in size["notes"]), ""]
    out += [
        "## Performance targets (issue 18)",
        "",
        'Ratios of median wall times of interleaved runs in this run; "at filing" is what '
        "the benchmark measured when the targets were set.",
        "",
        "| case | target | at filing | measured | met |",
        "|---|---|---|---|---|",
    ]
    for case, target, before, measured, met in performance_targets(results, per_size):
        out.append(f"| {case} | {target} | {before} | {measured} | {_mark(met)} |")
    out += ["", "## Other targets", "", "| target | measured | met |", "|---|---|---|"]
    for text, measured, met in targets(results, per_size):
        out.append(f"| {text} | {measured} | {_mark(met)} |")
    out += ["", "## Test suite", ""]
    tests = results.get("tests") or {}
    if tests.get("wall_s") is not None:
        out.append(
            f"`{tests['command']}`: {_fmt(tests['wall_s'], 1)} s wall, "
            f"{_fmt(tests['cpu_s'], 1)} s CPU, exit {tests['returncode']}: {tests['result']}."
        )
    else:
        out.append(tests.get("note", "not run"))
    out += ["", "## Ingest (`python -m bench.ingest`)", ""]
    ingest = results.get("ingest") or {}
    if ingest.get("data"):
        data = ingest["data"]
        handler = data.get("handler") or {}
        imp = data.get("import") or {}
        out += [
            f"Command: `{ingest['command']}`",
            "",
            f"- handler in-process (file sink): p50 {handler.get('p50_ms')} ms, "
            f"p99 {handler.get('p99_ms')} ms",
            f"- cold-start import of the handler: {imp.get('cold_import_ms')} ms",
        ]
        for server in data.get("server") or []:
            out.append(
                f"- local HTTP server, keep-alive, {server.get('connections')} connection(s): "
                f"{server.get('updates_per_s')} updates/s"
            )
        out += ["", "<details><summary>full JSON</summary>", "", "```json"]
        out += [json.dumps(data, indent=2), "```", "", "</details>", ""]
    else:
        out += [ingest.get("note", "not run"), ""]
    out += ["## History import (`python -m bench.history`)", ""]
    out += history_lines(results.get("history") or {})
    out += ["## Views (`athena_views.local.connect`, DuckDB)", ""]
    views = results.get("views") or {}
    if views.get("data"):
        v = views["data"]
        out += [
            f"Curated input: {v['messages']:,} messages in {v['partitions']} `dt` partitions, "
            f"{v['member_events']:,} member events ({views['source']}). Each view fully "
            f"fetched as an Arrow table, median of {views['repeats']} run(s); connect (create "
            f"tables and views) {_fmt(v['connect_s'])} s.",
            "",
            "| view | rows | median s | first run s |",
            "|---|---|---|---|",
        ]
        for name, stats in v["views"].items():
            out.append(
                f"| {name} | {stats['rows']:,} | {_fmt(stats['median_s'], 3)} "
                f"| {_fmt(stats['first_s'], 3)} |"
            )
        out += [
            "",
            f"Required views together: {_fmt(v['required_total_s'], 3)} s (median), "
            f"{_fmt(v['required_first_total_s'], 3)} s (first runs); all views "
            f"{_fmt(v['all_total_s'], 3)} s.",
            "",
            *materialized_lines(v),
            "Partition pruning (DuckDB EXPLAIN / EXPLAIN ANALYZE of the `messages` scan):",
            "",
        ]
        for label, plan in v["explain"].items():
            out += [f"- {label}: `{plan['query']}`", "", "  ```"]
            out += [f"  {line}" for line in plan["plan"]]
            out += ["  ```", ""]
    else:
        out += [views.get("note", "not run"), ""]
    out += [
        "## Method",
        "",
        "- Every variant runs as its own process (`python -m bench.baseline_python`, "
        "`python -m bench.baseline_duckdb`, `python -m bench.io_floor`, `spark-submit "
        "glue_jobs/telegram_etl.py`), interleaved A B C D A B C D ... so that drift and "
        "page-cache state hit all of them alike; the output folder is emptied before each run.",
        "- wall = perf_counter around the child; CPU = user + sys of the child and its reaped "
        "descendants (`os.wait4`); peak RSS = `ru_maxrss` of the largest process, and the "
        "largest sum over the process tree sampled every 0.2 s from /proc.",
        "- updates/s = raw lines (files for the one-file-per-update days) / median wall.",
        "- The I/O floor reads the stored bytes: gzip parts are read compressed (decompressing "
        "is already work), so for the NDJSON.gz day it is a floor for the disk, not for "
        "parsing; the Python baseline is the single-core parsing yardstick there.",
        "- output bytes = Parquet files of `messages` and `member_events`; files per "
        "partition counted in `messages/dt=*/`.",
        "- The inputs come from `samples.generate` (seed 7, same shapes as the bundled "
        "sample), each with a few malformed lines; the job quarantines them, the baselines "
        "count and skip them.",
        "",
    ]
    return "\n".join(out)
