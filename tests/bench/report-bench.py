#!/usr/bin/python3
"""Report benchmark: a month of a million usage events, counted and exported.

    tests/bench/report-bench.py [--build BUILD_DIR] [--work DIR] [--events 1000000]

Makes a store with the report tests' October 2026 plus N events spread over
the month (tests/report-fixture, kept in WORK for later runs), then times
each of `cunxiao-cli report --month 2026-10 -o FILE` (XLSX, CSV, JSON) and
`cunxiao-cli usage export` (CSV, JSON) for the month: wall time and peak
resident memory of the process (wait4's rusage). Beside each, the sqlite3
shell doing the same reading: the GROUP BY over the members the report
needs, and `.mode csv` of the raw rows. Target: < 2 s and < 200 MB each.
Needs no root and no network. Prints a table and writes WORK/results.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
TARGET_S, TARGET_MB = 2.0, 200

# What the report reads, as one SQL statement: the peer does the counting
# in SQLite the report does in C (docs/report.md).
PEER_REPORT = """
SELECT kind, json_extract(payload, '$.form') AS form, json_extract(payload, '$.subject'),
       count(*), count(DISTINCT json_extract(payload, '$.teacher')),
       sum(json_extract(payload, '$.pupils')), sum(json_extract(payload, '$.seconds')),
       count(DISTINCT coalesce(json_extract(payload, '$.timetable'),
                               json_extract(payload, '$.timetable_entry'))),
       count(DISTINCT json_extract(payload, '$.resource'))
FROM journal WHERE time_us >= {from_us} AND time_us < {to_us} AND json_valid(payload)
GROUP BY kind, form, 3;
"""

PEER_USAGE = """
.mode csv
.headers on
.output {out}
SELECT seq, strftime('%Y-%m-%dT%H:%M:%S', time_us / 1000000, 'unixepoch', 'localtime') AS time,
       kind, payload
FROM journal WHERE time_us >= {from_us} AND time_us < {to_us} ORDER BY time_us, seq;
"""

PEER_JSON = """
.output {out}
SELECT json_group_array(json_object('seq', seq, 'time_us', time_us, 'kind', kind,
                                    'payload', iif(json_valid(payload), json(payload), payload)))
FROM journal WHERE time_us >= {from_us} AND time_us < {to_us};
"""


def measure(argv, stdin=None):
    """Runs @argv; returns (seconds, peak RSS in MB, exit status)."""
    start = time.monotonic()
    child = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin else None,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin:
        child.stdin.write(stdin.encode())
        child.stdin.close()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - start
    err = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit("%s failed: %s" % (argv, err))
    return seconds, usage.ru_maxrss / 1024.0


def month_bounds_us():
    """October 2026 in local time, as the report counts it."""
    start = time.mktime((2026, 10, 1, 0, 0, 0, 0, 0, -1))
    end = time.mktime((2026, 11, 1, 0, 0, 0, 0, 0, -1))
    return int(start) * 1000000, int(end) * 1000000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(TOP, "_build"))
    parser.add_argument("--work", default="/tmp/cx-report-bench")
    parser.add_argument("--events", type=int, default=1000000)
    parser.add_argument("--runs", type=int, default=3, help="best of N (3)")
    args = parser.parse_args()

    cli = os.path.join(args.build, "ui", "cli", "cunxiao-cli")
    fixture = os.path.join(args.build, "tests", "report-fixture")
    sqlite3 = shutil.which("sqlite3")
    for path in (cli, fixture):
        if not os.access(path, os.X_OK):
            sys.exit("%s is missing: build first (ninja -C %s)" % (path, args.build))

    store = os.path.join(args.work, "store-%d" % args.events)
    if not os.path.exists(os.path.join(store, "cunxiao.db")):
        shutil.rmtree(store, ignore_errors=True)
        os.makedirs(args.work, exist_ok=True)
        print("Making a store with %d events…" % args.events, flush=True)
        subprocess.run([fixture, store, str(args.events)], check=True)
    db = os.path.join(store, "cunxiao.db")
    out = os.path.join(args.work, "out")
    os.makedirs(out, exist_ok=True)
    from_us, to_us = month_bounds_us()

    tasks = [
        ("report → xlsx", [cli, "-d", store, "report", "--month", "2026-10", "-o",
                           os.path.join(out, "report.xlsx")],
         (PEER_REPORT, "GROUP BY")),
        ("report → csv", [cli, "-d", store, "report", "--month", "2026-10", "-o",
                          os.path.join(out, "report.csv")], (PEER_REPORT, "GROUP BY")),
        ("report → json", [cli, "-d", store, "report", "--month", "2026-10", "-o",
                           os.path.join(out, "report.json")], (PEER_REPORT, "GROUP BY")),
        ("usage → csv", [cli, "-d", store, "usage", "export", "--from", "2026-10-01", "--to",
                         "2026-10-31", "-o", os.path.join(out, "usage.csv")],
         (PEER_USAGE, ".mode csv")),
        ("usage → json", [cli, "-d", store, "usage", "export", "--from", "2026-10-01", "--to",
                          "2026-10-31", "--format", "json", "-o",
                          os.path.join(out, "usage.json")],
         (PEER_JSON, "json_group_array")),
    ]

    results = []
    print("\n%-15s %10s %10s   %-17s %10s %10s   %s" % (
        "task", "cunxiao s", "MB", "peer (sqlite3)", "peer s", "MB", "target"))
    for name, argv, (peer_sql, peer_name) in tasks:
        ours = min((measure(argv) for _ in range(args.runs)), key=lambda r: r[0])
        peer = None
        if sqlite3:
            sql = peer_sql.format(from_us=from_us, to_us=to_us,
                                  out=os.path.join(out, "peer.out"))
            peer = min((measure([sqlite3, db], stdin=sql) for _ in range(args.runs)),
                       key=lambda r: r[0])
        met = ours[0] < TARGET_S and ours[1] < TARGET_MB
        results.append({"task": name, "seconds": round(ours[0], 3), "peak_mb": round(ours[1], 1),
                        "peer": peer_name,
                        "peer_seconds": round(peer[0], 3) if peer else None,
                        "peer_peak_mb": round(peer[1], 1) if peer else None,
                        "target_met": met})
        print("%-15s %10.2f %10.1f   %-17s %10s %10s   %s" % (
            name, ours[0], ours[1], peer_name,
            "%.2f" % peer[0] if peer else "-", "%.1f" % peer[1] if peer else "-",
            "ok" if met else "MISSED (< %.0f s, < %d MB)" % (TARGET_S, TARGET_MB)))

    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump({"events": args.events, "results": results}, f, indent=2, ensure_ascii=False)
    print("\nResults in %s" % os.path.join(args.work, "results.json"))
    return 0 if all(r["target_met"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
