"""`make bench`: real HTTP load on gunicorn, plus the cost of the heaviest single operations.

It builds its own database (a SQLite file under .bench/, or the PostgreSQL database named by
BENCH_DATABASE_URL), loads the shipped bank, starts gunicorn, and has CANDIDATES simulated
candidates sit a full mock each at the same time: log in, start, save an answer to all 65
questions (HTMX POST, as the browser does), move through them, open the review screen, finish,
read the results. It prints latency percentiles per request kind, throughput, and the memory of
the gunicorn workers. Figures and how to read them: docs/benchmarks.md.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
PASSWORD = "bench-pass-2026"


def environment() -> dict:
    bench_dir = ROOT / ".bench"
    bench_dir.mkdir(exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{bench_dir / 'bench.sqlite3'}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-only-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        capture_output=capture,
    )  # fmt: skip


def prepare(env) -> dict[str, float]:
    if env["DATABASE_URL"].startswith("sqlite:///"):
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    timings = {}
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v0")
    if not env["DATABASE_URL"].startswith("sqlite:///"):
        manage(env, "flush", "--noinput")  # a PostgreSQL bench database starts empty too
    manage(env, "load_blueprint", capture=True)
    timings["migrate and load blueprints (s)"] = time.perf_counter() - started
    started = time.perf_counter()
    manage(env, "import_questions", "fixtures/bank", capture=True)
    timings["import the 279-question bank (s)"] = time.perf_counter() - started
    manage(env, "collectstatic", "--noinput", "-v0")
    script = (
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        f"for n in range({CANDIDATES}):\n"
        f"    User.objects.create_user(f'bench{{n}}', password='{PASSWORD}')\n"
    )
    manage(env, "shell", "-c", script, capture=True)
    return timings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Candidate:
    """One simulated browser with its own cookies."""

    def __init__(self, base: str, name: str, timings):
        self.base = base
        self.name = name
        self.timings = timings
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, kind, path, data=None, htmx=False):
        headers = {"X-CSRFToken": self.csrf()} if data is not None else {}
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        started = time.perf_counter()
        with self.opener.open(request, timeout=60) as response:
            content = response.read().decode()
            final = response.geturl()
        self.timings[kind].append(time.perf_counter() - started)
        return content, final

    def sit_a_mock(self):
        self.request("login page", "/accounts/login/")
        self.request("log in", "/accounts/login/", {"username": self.name, "password": PASSWORD})
        page, url = self.request("start mock", "/exams/MLS-C01/start/", {})
        attempt = re.search(r"/attempts/(\d+)/", url).group(1)
        for position in range(1, 66):
            choice = ["1", "2"] if "Choose TWO" in page or "Choose THREE" in page else ["1"]
            answer = f"/attempts/{attempt}/q/{position}/answer/"
            self.request("save answer (HTMX)", answer, {"choice": choice, "seq": position}, True)
            if position < 65:
                page, _ = self.request(
                    "save and next (HTMX)", answer, {"choice": choice, "go": "next"}, True
                )
        self.request("review screen", f"/attempts/{attempt}/review/")
        self.request("finish", f"/attempts/{attempt}/finish/", {})
        self.request("results", f"/attempts/{attempt}/results/")
        self.request("answers list", f"/attempts/{attempt}/answers/")


def worker_memory_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        if rss:
            sizes.append(int(rss.group(1)) / 1024)
    return sizes


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    env = environment()
    print(f"Preparing {env['DATABASE_URL'].split('@')[-1]} with {CANDIDATES} candidates…")
    setup_timings = prepare(env)
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"), "examprep.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", str(THREADS),
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        timings = defaultdict(list)
        candidates = [Candidate(base, f"bench{n}", timings) for n in range(CANDIDATES)]
        errors = []

        def run(candidate):
            try:
                candidate.sit_a_mock()
            except Exception as exc:  # noqa: BLE001 - reported below, the run goes on
                errors.append(f"{candidate.name}: {exc!r}")

        threads = [threading.Thread(target=run, args=(c,)) for c in candidates]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        memory = worker_memory_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    total = sum(len(v) for v in timings.values())
    print()
    for name, seconds in setup_timings.items():
        print(f"{name:<40} {seconds:8.2f}")
    print(
        f"\n{CANDIDATES} candidates sat a full mock at once against gunicorn "
        f"({WORKERS} workers x {THREADS} threads), {env['DATABASE_URL'].split(':')[0]}:"
    )
    print(f"{'request':<24} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        ms = [v * 1000 for v in values]
        print(
            f"{kind:<24} {len(ms):>6} {statistics.median(ms):>8.1f} {percentile(ms, 0.95):>8.1f} "
            f"{percentile(ms, 0.99):>8.1f} {max(ms):>8.1f}"
        )
    print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.0f} requests/s")
    if memory:
        print(f"gunicorn worker memory (RSS): {', '.join(f'{m:.0f} MB' for m in memory)}")
    if errors:
        print(f"\n{len(errors)} candidate(s) failed:")
        print("\n".join(errors[:10]))
        sys.exit(1)
    if shutil.which("nproc"):
        print(f"machine: {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
