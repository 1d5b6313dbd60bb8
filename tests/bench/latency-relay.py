#!/usr/bin/python3
"""A TCP relay that adds round-trip latency and, on request, cuts the link.

    latency-relay.py --map LPORT:HOST:PORT [--map ...] --rtt-ms 300
                     [--drop-every-bytes N --drops K]

Every byte is held for half the round trip in each direction, in order, so
each request/response exchange costs the added round trip whatever the
protocol (HTTP, rsync's own). Throughput is left to the shaped link behind.

With --drop-every-bytes, every N bytes relayed towards the client (over all
connections) abort every open connection, K times in all: a link that drops
while a transfer is running. Prints "ready" once listening; on SIGTERM prints
a JSON line with the counts and exits.
"""

import argparse
import asyncio
import json
import signal
import sys
import time


class Relay:
    def __init__(self, rtt, drop_every, drops):
        self.half = rtt / 2
        self.drop_every = drop_every
        self.drops_left = drops
        self.drops_done = 0
        self.down_bytes = 0
        self.next_drop = drop_every
        self.connections = 0
        self.open = set()

    async def pump(self, reader, writer, downstream):
        """Copies one direction, each piece delayed by half the round trip."""
        queue = asyncio.Queue()

        async def deliver():
            while True:
                due, data = await queue.get()
                if data is None:
                    break
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()
                if downstream:
                    self.count_down(len(data))
            if writer.can_write_eof():
                writer.write_eof()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((time.monotonic() + self.half, data or None))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()

    def count_down(self, n):
        self.down_bytes += n
        if self.drop_every and self.drops_left > 0 and self.down_bytes >= self.next_drop:
            self.next_drop += self.drop_every
            self.drops_left -= 1
            self.drops_done += 1
            for w in list(self.open):
                w.transport.abort()

    async def handle(self, client_r, client_w, host, port):
        self.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection(host, port)
        except OSError:
            client_w.transport.abort()
            return
        pair = (client_w, server_w)
        self.open.update(pair)
        try:
            await asyncio.gather(
                self.pump(client_r, server_w, False),
                self.pump(server_r, client_w, True),
            )
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        finally:
            for w in pair:
                self.open.discard(w)
                w.transport.abort()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--map", action="append", required=True, help="LPORT:HOST:PORT")
    parser.add_argument("--rtt-ms", type=float, default=300)
    parser.add_argument("--drop-every-bytes", type=int, default=0)
    parser.add_argument("--drops", type=int, default=0)
    args = parser.parse_args()

    relay = Relay(args.rtt_ms / 1000, args.drop_every_bytes, args.drops)
    servers = []
    for m in args.map:
        lport, host, port = m.split(":")
        servers.append(
            await asyncio.start_server(
                lambda r, w, h=host, p=int(port): relay.handle(r, w, h, p),
                "127.0.0.1",
                int(lport),
            )
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print("ready", flush=True)
    await stop.wait()
    for s in servers:
        s.close()
    print(
        json.dumps(
            {
                "connections": relay.connections,
                "drops": relay.drops_done,
                "down_bytes": relay.down_bytes,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
