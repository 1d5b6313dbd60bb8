#!/usr/bin/python3
"""Upload-side benchmark: usage events from a laptop to the hub.

    sudo tests/bench/events-bench.py [--build BUILD_DIR] [--work DIR] [--events 100000]
                                     [--rate-kbit 512] [--rtt-ms 300]

1. Over the shaped link (benchnet.py: tc tbf both ways plus the latency relay),
   `cunxiao-cli sync --once` pushes N realistic events: bytes on the wire per
   event, requests, wall time against bytes ÷ rate + 3 round trips.
2. On loopback, the hub's ingest rate: events over the time the hub spent on
   the requests, from its own log.

3. Then 5 MB of hand-ins (photos: incompressible) the same way.

Needs root for the network namespace. Prints a table and writes
WORK/results.json.
"""

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

from benchnet import HERE, NS, NS_IP, Link, Relay, sh, wait_for_port

TOP = os.path.dirname(os.path.dirname(HERE))
HUB_PORT, RELAY_PORT = 8738, 18738

RESOURCES = ["unit-%d/lesson-%d/%s" % (u, l, n) for u in range(1, 7) for l in range(1, 5)
             for n in ("课文.html", "练习.pdf", "朗读.opus", "视频.mp4")]
CLASSES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
SUBJECTS = ["语文", "数学", "英语", "科学", "音乐", "美术"]
FORMS = ["城乡同步课堂", "远程专递课堂", "名师网络课堂", "教师网络研修", "local"]


def make_events(n, seed=1):
    """A month of a village school's laptop: mostly resources opened, some
    lessons taught, hand-ins and syncs."""
    rng = random.Random(seed)
    t = 1793500000 * 1000000
    for _ in range(n):
        t += rng.randint(2, 600) * 1000000 + rng.randint(0, 999999)
        r = rng.random()
        if r < 0.75:
            kind = "resource.opened"
            payload = {"package": "yuwen-%da" % rng.randint(1, 6),
                       "resource": rng.choice(RESOURCES), "class": rng.choice(CLASSES),
                       "seconds": rng.randint(5, 2400)}
        elif r < 0.88:
            kind = "lesson.taught"
            payload = {"class": rng.choice(CLASSES), "subject": rng.choice(SUBJECTS),
                       "form": rng.choice(FORMS), "minutes": rng.choice([35, 40, 45]),
                       "items": rng.randint(1, 12), "teachers": rng.randint(1, 3),
                       "pupils": rng.randint(8, 40)}
        elif r < 0.97:
            kind = "handin.created"
            payload = {"class": rng.choice(CLASSES), "assignment": "作业%d" % rng.randint(1, 30),
                       "files": rng.randint(1, 4), "bytes": rng.randint(20000, 3000000)}
        else:
            kind = "sync.finished"
            payload = {"sent": rng.randint(0, 500), "received": rng.randint(0, 9000000)}
        yield t, kind, json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def make_laptop(cli, data, n):
    env = dict(os.environ, CUNXIAO_DATA_DIR=data, LANGUAGE="C")
    sh(cli, "init", env=env, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(data, "cunxiao.db"))
    with db:
        db.executemany("INSERT INTO journal (time_us, kind, payload) VALUES (?, ?, ?)",
                       make_events(n))
    db.close()
    return env


def new_code(hub, data):
    out = sh(hub, "enroll", "--data", data, "--school", "石桥小学", capture_output=True,
             text=True).stdout
    return out.rsplit(": ", 1)[1].split()[0]


def start_hub(hub, work, data, bind, port, in_ns):
    repo = os.path.join(work, "repo")
    os.makedirs(repo, exist_ok=True)
    log = open(os.path.join(work, "hub-%s.log" % bind), "w")
    argv = [hub, "serve", "--repo", repo, "--data", data, "--bind", bind, "--port", str(port)]
    if in_ns:
        argv = ["ip", "netns", "exec", NS] + argv
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    return proc, log.name


def requests_in(log_path):
    with open(log_path) as f:
        return [json.loads(l) for l in f if l.startswith("{")]


def shaped_run(args, cli, hub, work):
    data = os.path.join(work, "hub-shaped")
    env = make_laptop(cli, os.path.join(work, "laptop-shaped"), args.events)
    code = new_code(hub, data)
    with Link(args.rate_kbit):
        proc, log = start_hub(hub, work, data, NS_IP, HUB_PORT, True)
        try:
            wait_for_port(HUB_PORT)
            relay = Relay(args.rtt_ms, [(RELAY_PORT, HUB_PORT)])
            url = "http://127.0.0.1:%d/" % RELAY_PORT
            sh(cli, "enroll", url, code, env=env, stdout=subprocess.DEVNULL)
            events = timed_sync(args, cli, env, log)
            events["bytes_per_event"] = round(events["up_wire"] / args.events, 2)
            add_hand_ins(cli, env, work, args.hand_in_mb)
            hand_ins = timed_sync(args, cli, env, log)
            relay.stop()
        finally:
            proc.terminate()
            proc.wait()
    check_hub(data, args.events)
    return events, hand_ins


def timed_sync(args, cli, env, log):
    """One `cunxiao-cli sync --once` over the shaped link."""
    time.sleep(1)
    before = len(requests_in(log))
    rx0, tx0 = Link.counters()
    start = time.monotonic()
    out = sh(cli, "sync", "--once", env=env, capture_output=True, text=True).stdout
    wall = time.monotonic() - start
    time.sleep(0.5)
    rx1, tx1 = Link.counters()
    up, down = tx1 - tx0, rx1 - rx0
    ideal = up / (args.rate_kbit * 1000 / 8) + 3 * args.rtt_ms / 1000
    return {"up_wire": up, "down_wire": down, "requests": len(requests_in(log)[before:]),
            "wall_s": round(wall, 2), "ideal_s": round(ideal, 2),
            "x_ideal": round(wall / ideal, 3), "client": out.strip()}


def add_hand_ins(cli, env, work, megabytes):
    """Photos of pupils' work: incompressible, 1.25 MB each."""
    rng = random.Random(5)
    for i in range(max(1, int(megabytes / 1.25))):
        path = os.path.join(work, "作业-%d.jpg" % i)
        with open(path, "wb") as f:
            f.write(rng.randbytes(1250000))
        sh(cli, "hand-in", "add", path, "--class", "三年级", "--assignment", "看图写话",
           env=env, stdout=subprocess.DEVNULL)


def loopback_run(args, cli, hub, work):
    data = os.path.join(work, "hub-loopback")
    env = make_laptop(cli, os.path.join(work, "laptop-loopback"), args.events)
    code = new_code(hub, data)
    proc, log = start_hub(hub, work, data, "127.0.0.1", HUB_PORT + 1, False)
    try:
        for _ in range(100):
            with open(log) as f:
                if "Serving" in f.read():
                    break
            time.sleep(0.05)
        url = "http://127.0.0.1:%d/" % (HUB_PORT + 1)
        sh(cli, "enroll", url, code, env=env, stdout=subprocess.DEVNULL)
        start = time.monotonic()
        sh(cli, "sync", "--once", env=env, stdout=subprocess.DEVNULL)
        wall = time.monotonic() - start
    finally:
        proc.terminate()
        proc.wait()
    posts = [l for l in requests_in(log) if l["method"] == "POST" and l["path"] == "/api/v1/events"]
    hub_s = sum(l["us"] for l in posts) / 1e6
    check_hub(data, args.events)
    return {"events": args.events, "requests": len(posts), "hub_s": round(hub_s, 3),
            "ingest_per_s": round(args.events / hub_s), "client_wall_s": round(wall, 2)}


def check_hub(data, n):
    db = sqlite3.connect(os.path.join(data, "hub.db"))
    count, high = db.execute("SELECT count(*), max(seq) FROM events").fetchone()
    db.close()
    if count != n or high != n:
        sys.exit("the hub holds %s events up to %s, not %d" % (count, high, n))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(TOP, "_build"))
    parser.add_argument("--work", default="/tmp/cunxiao-events-bench")
    parser.add_argument("--events", type=int, default=100000)
    parser.add_argument("--rate-kbit", type=int, default=512)
    parser.add_argument("--rtt-ms", type=int, default=300)
    parser.add_argument("--hand-in-mb", type=float, default=5)
    parser.add_argument("--only", choices=["loopback", "shaped"])
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("events-bench.py makes a network namespace: run it as root")
    cli = os.path.join(args.build, "ui", "cli", "cunxiao-cli")
    hub = os.path.join(args.build, "hub", "cunxiao-hub")
    for p in (cli, hub):
        if not os.access(p, os.X_OK):
            sys.exit("%s is not built; pass --build" % p)
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    loop = shaped = hand_ins = None
    if args.only != "shaped":
        loop = loopback_run(args, cli, hub, work)
        print("loopback: %d events in %d requests; the hub spent %.3f s: %d events/s "
              "(target ≥ 50000); client wall %.2f s"
              % (loop["events"], loop["requests"], loop["hub_s"], loop["ingest_per_s"],
                 loop["client_wall_s"]), flush=True)
    if args.only != "loopback":
        shaped, hand_ins = shaped_run(args, cli, hub, work)
        print("%d kbit/s + %d ms: %d events, %d B up (%.2f B/event, target ≤ 30), %d B down, "
              "%d requests, %.1f s (ideal %.1f s, %.2f×, target ≤ 1.1×)"
              % (args.rate_kbit, args.rtt_ms, args.events, shaped["up_wire"],
                 shaped["bytes_per_event"], shaped["down_wire"], shaped["requests"],
                 shaped["wall_s"], shaped["ideal_s"], shaped["x_ideal"]))
        print("%d kbit/s + %d ms: %.1f MB of hand-ins, %d B up, %d B down, %d requests, "
              "%.1f s (ideal %.1f s, %.2f×)"
              % (args.rate_kbit, args.rtt_ms, args.hand_in_mb, hand_ins["up_wire"],
                 hand_ins["down_wire"], hand_ins["requests"], hand_ins["wall_s"],
                 hand_ins["ideal_s"], hand_ins["x_ideal"]))
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"loopback": loop, "shaped": shaped, "hand_ins": hand_ins,
                   "rate_kbit": args.rate_kbit,
                   "rtt_ms": args.rtt_ms}, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
