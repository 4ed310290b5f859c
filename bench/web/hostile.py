#!/usr/bin/env python3
"""Hostile clients for bench/web/hostile.sh (issue 14): header floods, slow clients, range
bombs and sign-in storms against 127.0.0.1:PORT for SECONDS, each attacker from its own
loopback address (127.0.1.x and up: the whole 127/8 block is this machine), so that the
well-behaved load on 127.0.0.1 is not the attackers' address. Prints one JSON object of
counters at the end. Only 127.0.0.1 is contacted.

Usage: hostile.py PORT SECONDS [--floods N] [--slow N] [--slow-addresses N] [--ranges N]
                  [--sign-ins N]
"""
import argparse
import asyncio
import json
import random
import re
import resource
import time

HOST = "127.0.0.1"
counts = {}


def count(what, n=1):
    counts[what] = counts.get(what, 0) + n


async def connect(port, source):
    return await asyncio.wait_for(asyncio.open_connection(HOST, port, local_addr=(source, 0)), 5)


async def connect_or_pause(port, source, what, pause):
    """A connection, or None (counted as what_connect_failed) after a pause."""
    try:
        return await connect(port, source)
    except (OSError, asyncio.TimeoutError):
        count(what + "_connect_failed")
        await asyncio.sleep(pause)
        return None


async def read_status(reader, timeout=10):
    """The status of the next response (its body read by Content-Length), or None."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError, asyncio.LimitOverrunError):
        return None, b""
    status = int(head[9:12])
    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    body = b""
    if m:
        try:
            body = await asyncio.wait_for(reader.readexactly(int(m.group(1))), timeout)
        except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError):
            pass
    return status, body


async def close(writer):
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass


async def flood(port, source, stop):
    """Header lines without end, 50 kB a write, up to 20 MB a connection."""
    line = b"X-Flood: " + b"f" * 50 + b"\r\n"
    chunk = line * 800
    while time.monotonic() < stop:
        conn = await connect_or_pause(port, source, "flood", 0.2)
        if conn is None:
            continue
        reader, writer = conn
        sent = 0
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            while sent < 20 << 20 and time.monotonic() < stop and not writer.transport.is_closing():
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), 5)
                sent += len(chunk)
        except (ConnectionError, OSError, asyncio.TimeoutError):
            pass
        status, _ = await read_status(reader, 2)
        count("flood_%s" % (status or "cut"))
        count("flood_bytes_sent", sent)
        await close(writer)


async def slow(port, source, stop):
    """A request whose header lines come one every 3 s; again when the server hangs up."""
    while time.monotonic() < stop:
        conn = await connect_or_pause(port, source, "slow", 1)
        if conn is None:
            continue
        reader, writer = conn
        held = time.monotonic()
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            await writer.drain()
            i = 0
            while time.monotonic() < stop:
                try:
                    data = await asyncio.wait_for(reader.read(4096), 3)
                    if not data:
                        break
                    count("slow_answered_%s" % data[9:12].decode(errors="replace"))
                    break
                except asyncio.TimeoutError:
                    pass
                writer.write(b"X-Slow-%d: a\r\n" % i)
                await writer.drain()
                i += 1
        except (ConnectionError, OSError):
            pass
        count("slow_connections")
        count("slow_held_ms", int((time.monotonic() - held) * 1000))
        await close(writer)


async def ranges(port, source, stop):
    """2,600 ranges on the stylesheet, and one range, on a keep-alive connection."""
    bomb = b"bytes=0-" + b",0-" * 2600
    requests = [
        b"GET /assets/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: " + bomb + b"\r\n\r\n",
        b"GET /assets/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-99\r\n\r\n",
        b"GET /api/v1/jurisdictions HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-10\r\n\r\n",
    ]
    while time.monotonic() < stop:
        conn = await connect_or_pause(port, source, "ranges", 0.2)
        if conn is None:
            continue
        reader, writer = conn
        try:
            while time.monotonic() < stop:
                r = random.choice(requests)
                writer.write(r)
                await writer.drain()
                status, body = await read_status(reader)
                if status is None:
                    break
                count("ranges_%d" % status)
                count("ranges_bytes_received", len(body))
        except (ConnectionError, OSError):
            pass
        await close(writer)


async def sign_ins(port, sources, stop):
    """Wrong passwords for names that do not exist (each costs the full PBKDF2 rounds),
    from address after address."""
    k = 0
    while time.monotonic() < stop:
        source = sources[k % len(sources)]
        k += 1
        try:
            reader, writer = await connect(port, source)
            writer.write(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            body = await asyncio.wait_for(reader.readexactly(int(m.group(1))), 10)
            cookie = re.search(rb"(?i)\r\nset-cookie: *([^;\r]*)", head)
            csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', body)
            if not csrf:
                count("sign_in_no_form")
                await close(writer)
                continue
            for _ in range(5):
                form = b"csrf=" + csrf.group(1) + b"&name=nobody%d&password=guess-%d" % (random.randrange(1 << 30), k)
                writer.write(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                             (b"Cookie: " + cookie.group(1) + b"\r\n" if cookie else b"") +
                             b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(form) + form)
                await writer.drain()
                status, _ = await read_status(reader, 30)
                if status is None:
                    break
                count("sign_in_%d" % status)
        except (ConnectionError, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, AttributeError):
            count("sign_in_cut")
        try:
            await close(writer)
        except UnboundLocalError:
            pass


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("seconds", type=float)
    p.add_argument("--floods", type=int, default=4)
    p.add_argument("--slow", type=int, default=1050, help="slow connections from one address")
    p.add_argument("--slow-spread", type=int, default=300, help="slow connections spread over --slow-addresses")
    p.add_argument("--slow-addresses", type=int, default=10)
    p.add_argument("--ranges", type=int, default=8)
    p.add_argument("--sign-ins", type=int, default=16)
    a = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stop = time.monotonic() + a.seconds
    tasks = []
    tasks += [flood(a.port, "127.0.1.%d" % (i + 1), stop) for i in range(a.floods)]
    tasks += [slow(a.port, "127.0.2.1", stop) for _ in range(a.slow)]
    tasks += [slow(a.port, "127.0.3.%d" % (i % a.slow_addresses + 1), stop) for i in range(a.slow_spread)]
    tasks += [ranges(a.port, "127.0.4.%d" % (i + 1), stop) for i in range(a.ranges)]
    storm_sources = ["127.0.5.%d" % i for i in range(1, 255)]
    tasks += [sign_ins(a.port, storm_sources[i::a.sign_ins], stop) for i in range(a.sign_ins)]
    running = [asyncio.ensure_future(t) for t in tasks]
    # At the end, whatever still waits (a sign-in in the queue, a slow request) is dropped.
    done, pending = await asyncio.wait(running, timeout=a.seconds + 2)
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    count("attackers_still_waiting_at_the_end", len(pending))
    print(json.dumps(dict(sorted(counts.items()))))


if __name__ == "__main__":
    asyncio.run(main())
