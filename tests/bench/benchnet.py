"""Shared by the benchmarks: a shaped link to servers in a network namespace.

The servers run in the namespace NS behind a veth pair shaped with `tc tbf`
in both directions; latency-relay.py, on this side, adds the round-trip time
and can cut the link. Bytes on the wire are the veth's own counters.
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NS = "cxbench"
HOST_IF, NS_IF = "cxb0", "cxb1"
HOST_IP, NS_IP = "10.199.0.1", "10.199.0.2"


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, **kw)


def quiet(*argv):
    return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ns(*argv, **kw):
    return sh("ip", "netns", "exec", NS, *argv, **kw)


class Link:
    """A network namespace holding the servers, behind a shaped veth pair."""

    def __init__(self, rate_kbit):
        self.rate_kbit = rate_kbit

    def __enter__(self):
        self.close()
        sh("ip", "netns", "add", NS)
        sh("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF)
        sh("ip", "link", "set", NS_IF, "netns", NS)
        sh("ip", "addr", "add", HOST_IP + "/24", "dev", HOST_IF)
        sh("ip", "link", "set", HOST_IF, "up")
        ns("ip", "addr", "add", NS_IP + "/24", "dev", NS_IF)
        ns("ip", "link", "set", NS_IF, "up")
        ns("ip", "link", "set", "lo", "up")
        tbf = ["root", "tbf", "rate", "%dkbit" % self.rate_kbit, "burst", "4kb", "latency", "200ms"]
        sh("tc", "qdisc", "add", "dev", HOST_IF, *tbf)
        ns("tc", "qdisc", "add", "dev", NS_IF, *tbf)
        return self

    def close(self):
        quiet("ip", "link", "del", HOST_IF)
        quiet("ip", "netns", "del", NS)

    def __exit__(self, *exc):
        self.close()

    @staticmethod
    def counters():
        base = "/sys/class/net/%s/statistics/" % HOST_IF
        with open(base + "rx_bytes") as rx, open(base + "tx_bytes") as tx:
            return int(rx.read()), int(tx.read())


def wait_for_port(port):
    for _ in range(100):
        out = subprocess.run(["ip", "netns", "exec", NS, "ss", "-ltnH"],
                             capture_output=True, text=True).stdout
        if ":%d " % port in out:
            return
        time.sleep(0.1)
    sys.exit("server on port %d did not start" % port)


class Relay:
    """latency-relay.py: maps is a list of (local port, namespace port)."""

    def __init__(self, rtt_ms, maps, drop_every=0, drops=0):
        argv = [sys.executable, os.path.join(HERE, "latency-relay.py"), "--rtt-ms", str(rtt_ms)]
        for local, remote in maps:
            argv += ["--map", "%d:%s:%d" % (local, NS_IP, remote)]
        if drop_every:
            argv += ["--drop-every-bytes", str(drop_every), "--drops", str(drops)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            sys.exit("latency relay did not start")

    def stop(self):
        self.proc.terminate()
        out, _ = self.proc.communicate()
        return json.loads(out.strip().splitlines()[-1])


