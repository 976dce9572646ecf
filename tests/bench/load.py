"""An asyncio HTTP/1.1 load generator small enough not to eat the server's cores.

- Closed loop (`closed_loop`): N connections each send the next request as soon as the last
  answered; used for throughput and CPU per request of one kind, in interleaved rounds.
- Open loop (`open_loop`): requests are due at a fixed arrival rate whatever the server does,
  and latency counts from the due time, so a slow server shows as latency instead of
  silently lowering the load (no coordinated omission).

Each simulated candidate carries its own session cookie, CSRF token, attempt, position and
the version of each answer, and never has two requests in flight.
"""

import asyncio
import random
import secrets
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
                lines += [f"{k}: {v}" for k, v in headers.items()]
                if body or method == "POST":
                    lines.append(f"Content-Length: {len(body)}")
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise

    async def _response(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                body += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Sitter:
    """One candidate in the middle of a mock."""

    session: str
    attempt: int
    questions: int
    position: int = 1
    busy: bool = False
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 characters
    versions: dict = field(default_factory=lambda: defaultdict(int))
    choice: dict = field(default_factory=lambda: defaultdict(lambda: "2"))

    def headers(self, post: bool) -> dict:
        headers = {"Cookie": f"sessionid={self.session}; csrftoken={self.csrf}"}
        headers["HX-Request"] = "true"
        if post:
            headers["X-CSRFToken"] = self.csrf
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def next_request(self, kind: str):
        """(method, path, body, what to do with the state on success)."""
        base = f"/attempts/{self.attempt}"
        if kind == "save and next" and self.position == self.questions:
            kind = "navigate"
        if kind in ("save", "save and next", "floor"):
            position = self.position
            choice = "1" if self.choice[position] == "2" else "2"  # always a change
            form = {"choice": choice, "version": self.versions[position]}
            if kind == "save and next":
                form["go"] = "next"

            def saved():
                self.choice[position] = choice
                self.versions[position] += 1
                if kind == "save and next":
                    self.position = position + 1

            body = urllib.parse.urlencode(form).encode()
            if kind == "floor":  # the same save by the raw-SQL floor (tests/bench/views.py)
                return "POST", f"/bench/floor/{self.attempt}/{position}/", body, saved
            return "POST", f"{base}/q/{position}/answer/", body, saved
        if kind == "baseline":
            return "POST", "/bench/insert/", b"choice=1", lambda: None
        if kind == "clock":
            return "GET", f"{base}/clock/", b"", lambda: None
        # navigate: a palette click to another question
        target = random.randint(1, self.questions)

        def moved():
            self.position = target

        return "GET", f"{base}/q/{target}/", b"", moved


class Pool:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.idle: list[Connection] = []

    async def send(self, sitter: Sitter, kind: str):
        method, path, body, on_success = sitter.next_request(kind)
        connection = self.idle.pop() if self.idle else Connection(self.host, self.port)
        try:
            status, _ = await connection.request(
                method, path, sitter.headers(method == "POST"), body
            )
        except Exception:
            connection.close()
            raise
        self.idle.append(connection)
        if status == 200:
            on_success()
        return status


@dataclass
class Tally:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    late_starts: int = 0

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())


async def _one(pool, sitter, kind, tally, due):
    sitter.busy = True
    try:
        status = await pool.send(sitter, kind)
        if status != 200:
            tally.errors[f"{kind}: HTTP {status}"] += 1
    except Exception as exc:  # noqa: BLE001 - counted, the run goes on
        tally.errors[f"{kind}: {type(exc).__name__}"] += 1
    finally:
        sitter.busy = False
    tally.latencies[kind].append(time.perf_counter() - due)


async def closed_loop(host, port, sitters, kind: str, connections: int, seconds: float) -> Tally:
    """`connections` clients, each with its own candidates, as fast as the server answers."""
    tally = Tally()
    pool = Pool(host, port)
    stop = time.perf_counter() + seconds
    shares = [sitters[n::connections] for n in range(connections)]

    async def client(mine):
        n = 0
        while time.perf_counter() < stop:
            await _one(pool, mine[n % len(mine)], kind, tally, time.perf_counter())
            n += 1

    await asyncio.gather(*(client(mine) for mine in shares if mine))
    for connection in pool.idle:
        connection.close()
    return tally


async def open_loop(host, port, sitters, mix: dict[str, float], rate: float, seconds: float):
    """Requests due every 1/rate s, each of a kind drawn from `mix` (weights), each sent by
    the next candidate without a request in flight; latency from the due time."""
    tally = Tally()
    pool = Pool(host, port)
    kinds, weights = list(mix), list(mix.values())
    rng = random.Random(15)
    start = time.perf_counter()
    tasks, turn = set(), 0
    for n in range(int(rate * seconds)):
        due = start + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        for _ in range(len(sitters)):
            sitter = sitters[turn % len(sitters)]
            turn += 1
            if not sitter.busy:
                break
        else:
            tally.errors["no idle candidate (load exceeds candidates)"] += 1
            continue
        kind = rng.choices(kinds, weights)[0]
        sitter.busy = True
        task = asyncio.create_task(_one(pool, sitter, kind, tally, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=60)
    for connection in pool.idle:
        connection.close()
    return tally
