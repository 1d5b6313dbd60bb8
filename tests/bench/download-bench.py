#!/usr/bin/python3
"""Download-side benchmark: Cunxiao beside rsync, zsync, casync and a plain
download, over a shaped link, for a fresh install, a revision and an errata.

    sudo tests/bench/download-bench.py [--build BUILD_DIR] [--work DIR]
                                       [--rate-kbit 512] [--rtt-ms 300]
                                       [--disconnects 20]

Needs root (it makes a network namespace) and Debian's rsync, zsync, casync,
nginx-light, zstd, curl, iproute2, plus what make-corpus.py needs.

The servers (nginx for every HTTP client, an rsync daemon) run in a network
namespace behind a veth pair shaped with `tc tbf` in both directions;
latency-relay.py adds the round-trip time in front of them. Bytes on the wire
are the veth's own counters (IP packets with their Ethernet headers); payload
is what the application received; requests come from nginx's access log.
Every client's result is compared with the source tree before it counts.

Prints a table and writes WORK/results.json.
"""

import argparse
import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

from benchnet import HERE, NS, NS_IP, Link, Relay, sh, wait_for_port

TOP = os.path.dirname(os.path.dirname(HERE))
HTTP_PORT, RSYNC_PORT = 8080, 8873
RELAY_HTTP, RELAY_RSYNC = 18080, 18873
PACKAGE = "bench-xinxi"
RELAY_MAPS = [(RELAY_HTTP, HTTP_PORT), (RELAY_RSYNC, RSYNC_PORT)]
STAGES = [("fresh", None, "v1"), ("revision", "v1", "v2"), ("errata", "v2", "v3")]


class Servers:
    """nginx for everything over HTTP and an rsync daemon, inside the namespace."""

    def __init__(self, work, srv):
        self.work, self.srv = work, srv
        self.log = os.path.join(work, "access.log")
        self.procs = []

    def __enter__(self):
        conf = os.path.join(self.work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(
                """daemon off; worker_processes 1; pid %(w)s/nginx.pid;
error_log %(w)s/nginx-error.log;
events { worker_connections 256; }
http {
  log_format bench '$request $status $bytes_sent';
  access_log %(w)s/access.log bench;
  client_body_temp_path %(w)s/tmp; proxy_temp_path %(w)s/tmp;
  default_type application/octet-stream;
  sendfile on; tcp_nopush on;
  keepalive_timeout 120s; keepalive_requests 100000;
  server { listen %(ip)s:%(port)d; root %(srv)s; }
}
"""
                % {"w": self.work, "ip": NS_IP, "port": HTTP_PORT, "srv": self.srv}
            )
        os.makedirs(os.path.join(self.work, "tmp"), exist_ok=True)
        rsyncd = os.path.join(self.work, "rsyncd.conf")
        with open(rsyncd, "w") as f:
            f.write(
                "use chroot = no\nuid = root\ngid = root\npid file = %s/rsyncd.pid\n"
                "[tree]\npath = %s/tree\nread only = yes\n" % (self.work, self.srv)
            )
        prefix = ["ip", "netns", "exec", NS]
        self.procs.append(subprocess.Popen(prefix + ["nginx", "-c", conf, "-p", self.work]))
        self.procs.append(
            subprocess.Popen(
                prefix
                + ["rsync", "--daemon", "--no-detach", "--config", rsyncd,
                   "--address", NS_IP, "--port", str(RSYNC_PORT)]
            )
        )
        for port in (HTTP_PORT, RSYNC_PORT):
            wait_for_port(port)
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.terminate()
            p.wait()

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.readlines()


def measure(servers, rtt_ms, argv, env=None, drop_every=0, drops=0, cwd=None):
    """Runs one client through the relay; returns what crossed the link."""
    time.sleep(1)  # let the previous run's last packets leave the queues
    relay = Relay(rtt_ms, RELAY_MAPS, drop_every, drops)
    before = len(servers.requests())
    rx0, tx0 = Link.counters()
    start = time.monotonic()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.monotonic() - start
    time.sleep(0.5)
    rx1, tx1 = Link.counters()
    relay_counts = relay.stop()
    if proc.returncode != 0:
        sys.exit("%s failed (%d):\n%s%s" % (argv[0], proc.returncode, proc.stdout, proc.stderr))
    lines = servers.requests()[before:]
    return {
        "down_wire": rx1 - rx0,
        "up_wire": tx1 - tx0,
        "http_requests": len(lines),
        "http_bytes": sum(int(l.split()[-1]) for l in lines),
        "wall_s": round(wall, 2),
        "connections": relay_counts["connections"],
        "drops": relay_counts["drops"],
        "output": proc.stdout + proc.stderr,
    }


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b, ignore=["package.json"])
    stack = [cmp]
    while stack:
        c = stack.pop()
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        if mismatch or errors:
            return False
        stack.extend(c.subdirs.values())
    return True


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def zstd_size(*argv):
    out = subprocess.run(["zstd", "-q", "-19", "-c", *argv], check=True, capture_output=True)
    return len(out.stdout)


def files_of(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, root)] = p
    return out


def lower_bound(old, new):
    """zstd -19 --patch-from of each changed file plus new files compressed."""
    new_files = files_of(new)
    old_files = files_of(old) if old else {}
    total, changed = 0, 0
    for rel, path in new_files.items():
        base = old_files.get(rel)
        if base and filecmp.cmp(base, path, shallow=False):
            continue
        changed += 1
        if base:
            total += zstd_size("--patch-from=" + base, path)
        else:
            total += zstd_size("--long=27", path)
    return total, changed


def tar(src, dst):
    sh("tar", "--sort=name", "--mtime=@1700000000", "--owner=0", "--group=0",
       "--numeric-owner", "-C", src, "-cf", dst, ".")


def installed_tree(data, version):
    trees = os.path.join(data, "content", "trees")
    found = [t for t in os.listdir(trees) if t.startswith("%s-%s-" % (PACKAGE, version))]
    if len(found) != 1:
        sys.exit("expected one installed tree of %s, found %s" % (version, found))
    return os.path.join(trees, found[0])


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work)
        self.corpus = os.path.join(self.work, "corpus")
        self.srv = os.path.join(self.work, "srv")
        self.client = os.path.join(self.work, "client")
        self.cli = os.path.join(args.build, "ui", "cli", "cunxiao-cli")
        self.hub = os.path.join(args.build, "hub", "cunxiao-hub")
        self.http = "http://127.0.0.1:%d/" % RELAY_HTTP
        self.results = []

    def prepare(self):
        for p in (self.cli, self.hub):
            if not os.access(p, os.X_OK):
                sys.exit("%s is not built; pass --build" % p)
        if not os.path.isdir(os.path.join(self.corpus, "v3")):
            sh(sys.executable, os.path.join(HERE, "make-corpus.py"), self.corpus)
        for d in (self.srv, self.client):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
        for d in ("repo", "tree", "zsync", "casync", "full"):
            os.makedirs(os.path.join(self.srv, d))
        self.key = os.path.join(self.work, "hub.key")
        if os.path.exists(self.key):
            os.unlink(self.key)
        out = sh(self.hub, "keygen", "--output", self.key, capture_output=True, text=True)
        self.pubkey = next(w for w in out.stdout.split() if w.startswith("ed25519:"))
        if os.path.exists(os.path.join(self.work, "access.log")):
            os.unlink(os.path.join(self.work, "access.log"))

    def cx_env(self, name):
        env = dict(os.environ)
        env["CUNXIAO_DATA_DIR"] = os.path.join(self.client, name)
        env["LANGUAGE"] = "C"
        return env

    def hub_add(self, env):
        relay = Relay(self.args.rtt_ms, RELAY_MAPS)
        try:
            sh(self.cli, "hub", "add", self.http, "--key", self.pubkey, env=env,
               stdout=subprocess.DEVNULL)
        finally:
            relay.stop()

    def publish(self, version):
        """Puts one version on the server side, in each tool's form."""
        src = os.path.join(self.corpus, version)
        sh(self.hub, "publish", src, "--repo", os.path.join(self.srv, "repo"), "--key",
           self.key, "--repository-id", "cunxiao-bench", stdout=subprocess.DEVNULL)
        tree = os.path.join(self.srv, "tree")
        shutil.rmtree(tree)
        shutil.copytree(src, tree, symlinks=True)
        ztar = os.path.join(self.srv, "zsync", version + ".tar")
        tar(src, ztar)
        sh("zsyncmake", "-u", version + ".tar", "-o", ztar + ".zsync", ztar,
           stdout=subprocess.DEVNULL)
        sh("casync", "make", "--store=" + os.path.join(self.srv, "casync", "store"),
           os.path.join(self.srv, "casync", version + ".caidx"), src,
           stdout=subprocess.DEVNULL)
        full = os.path.join(self.srv, "full", version + ".tar.zst")
        sh("sh", "-c", "tar --sort=name --mtime=@1700000000 --owner=0 --group=0 -C '%s' -cf - . "
           "| zstd -q -19 --long=27 -o '%s'" % (src, full))

    def record(self, stage, tool, m, bound, changed, verified):
        m.pop("output", None)
        m.update(stage=stage, tool=tool, bound=bound, changed_files=changed, verified=verified)
        payload = m.get("payload", m["http_bytes"])
        m["payload"] = payload
        m["x_bound"] = round(payload / bound, 3) if bound else None
        rate = self.args.rate_kbit * 1000 / 8
        m["ideal_wall_s"] = round(m["down_wire"] / rate + 3 * self.args.rtt_ms / 1000, 2)
        self.results.append(m)
        print("  %-10s %-9s %10d B payload %9d B down %7d B up %5d req %7.1f s (ideal %.1f s)%s"
              % (stage, tool, payload, m["down_wire"], m["up_wire"], m["http_requests"],
                 m["wall_s"], m["ideal_wall_s"], "" if verified else "  NOT VERIFIED"),
              flush=True)

    def run_stage(self, servers, stage, old, new):
        rtt = self.args.rtt_ms
        src = os.path.join(self.corpus, new)
        old_src = os.path.join(self.corpus, old) if old else None
        self.publish(new)
        bound, changed = lower_bound(old_src, src)
        if old is None:
            tar_zst = os.path.getsize(os.path.join(self.srv, "full", new + ".tar.zst"))
            self.results.append({"stage": stage, "tool": "tar.zst -19", "payload": tar_zst})
        print("%s: %s → %s, %d files changed, bound %d B" % (stage, old or "nothing", new,
                                                             changed, bound), flush=True)

        # Cunxiao
        env = self.cx_env("cunxiao")
        if old is None:
            sh(self.cli, "init", env=env, stdout=subprocess.DEVNULL)
            self.hub_add(env)
            argv = [self.cli, "packages", "install", PACKAGE]
        else:
            argv = [self.cli, "packages", "update"]
        m = measure(servers, rtt, argv, env=env)
        ok = same_tree(src, installed_tree(env["CUNXIAO_DATA_DIR"], new))
        self.record(stage, "cunxiao", m, bound, changed, ok)

        # rsync daemon, without and with -z
        for tool, extra in (("rsync", []), ("rsync -z", ["-z"])):
            dest = os.path.join(self.client, tool.replace(" ", ""))
            m = measure(servers, rtt, ["rsync", "-a", "--delete", "--stats", *extra,
                                       "rsync://127.0.0.1:%d/tree/" % RELAY_RSYNC, dest + "/"])
            m["payload"] = rsync_received(m["output"])
            self.record(stage, tool, m, bound, changed, same_tree(src, dest))

        # zsync over nginx, seeded from the previous tarball
        out = os.path.join(self.client, "zsync-%s.tar" % new)
        argv = ["zsync", "-q", "-o", out]
        if old:
            argv += ["-i", os.path.join(self.client, "zsync-%s.tar" % old)]
        m = measure(servers, rtt, argv + [self.http + "zsync/%s.tar.zsync" % new],
                    cwd=self.client)
        ok = sha256(out) == sha256(os.path.join(self.srv, "zsync", new + ".tar"))
        self.record(stage, "zsync", m, bound, changed, ok)

        # casync over nginx, seeded from the previous extraction
        dest = os.path.join(self.client, "casync-" + new)
        argv = ["casync", "extract", "--store=" + self.http + "casync/store/"]
        if old:
            argv.append("--seed=" + os.path.join(self.client, "casync-" + old))
        m = measure(servers, rtt, argv + [self.http + "casync/%s.caidx" % new, dest])
        self.record(stage, "casync", m, bound, changed, same_tree(src, dest))

        # The whole version as one compressed download
        out = os.path.join(self.client, "full-%s.tar.zst" % new)
        m = measure(servers, rtt, ["curl", "-sSf", "-o", out, self.http + "full/%s.tar.zst" % new])
        ok = sha256(out) == sha256(os.path.join(self.srv, "full", new + ".tar.zst"))
        self.record(stage, "full", m, bound, changed, ok)

    def fresh_install(self, servers, name, drop_every=0, drops=0):
        env = self.cx_env(name)
        sh(self.cli, "init", env=env, stdout=subprocess.DEVNULL)
        self.hub_add(env)
        m = measure(servers, self.args.rtt_ms, [self.cli, "packages", "install", PACKAGE],
                    env=env, drop_every=drop_every, drops=drops)
        ok = same_tree(os.path.join(self.corpus, "v3"),
                       installed_tree(env["CUNXIAO_DATA_DIR"], "v3"))
        return m, ok

    def run_disconnects(self, servers):
        """A fresh install of the current version (v3) without and with the
        link cut every 1/(n+1) of the way."""
        n = self.args.disconnects
        bound, _ = lower_bound(None, os.path.join(self.corpus, "v3"))
        clean, ok = self.fresh_install(servers, "cunxiao-clean")
        self.record("fresh v3", "cunxiao", clean, bound, 0, ok)
        cut, ok = self.fresh_install(servers, "cunxiao-cut", clean["down_wire"] // (n + 1), n)
        self.record("%d drops" % cut["drops"], "cunxiao", cut, bound, 0, ok)
        extra = cut["down_wire"] - clean["down_wire"]
        print("  %d disconnects cost %d B more on the wire (%.1f KiB each; budget 64 KiB)"
              % (cut["drops"], extra, extra / 1024 / max(cut["drops"], 1)), flush=True)

    def main(self):
        self.prepare()
        with Link(self.args.rate_kbit), Servers(self.work, self.srv) as servers:
            for stage, old, new in STAGES:
                self.run_stage(servers, stage, old, new)
            if self.args.disconnects:
                self.run_disconnects(servers)
        self.report()

    def report(self):
        print()
        print("%-10s %-12s %11s %11s %9s %6s %8s %8s %8s" % (
            "stage", "tool", "payload B", "down B", "up B", "reqs", "wall s", "ideal s",
            "×bound"))
        for r in self.results:
            if "down_wire" not in r:
                print("%-10s %-12s %11d" % (r["stage"], r["tool"], r["payload"]))
                continue
            print("%-10s %-12s %11d %11d %9d %6s %8.1f %8.1f %8s" % (
                r["stage"], r["tool"], r["payload"], r["down_wire"], r["up_wire"],
                r["http_requests"] or "-", r["wall_s"], r["ideal_wall_s"],
                "%.2f" % r["x_bound"] if r["x_bound"] else "-"))
        path = os.path.join(self.work, "results.json")
        with open(path, "w") as f:
            json.dump({"rate_kbit": self.args.rate_kbit, "rtt_ms": self.args.rtt_ms,
                       "results": self.results}, f, indent=1)
        print("\nwritten to", path)


def rsync_received(output):
    for line in output.splitlines():
        if line.startswith("Total bytes received:"):
            return int(line.split(":")[1].replace(",", "").strip())
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(TOP, "_build"))
    parser.add_argument("--work", default="/tmp/cunxiao-download-bench")
    parser.add_argument("--rate-kbit", type=int, default=512)
    parser.add_argument("--rtt-ms", type=int, default=300)
    parser.add_argument("--disconnects", type=int, default=20)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("download-bench.py makes a network namespace: run it as root")
    Bench(args).main()


if __name__ == "__main__":
    main()
