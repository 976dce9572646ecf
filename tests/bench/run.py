"""`make bench`: the app served as in production, measured under load (docs/benchmarks.md).

1. Builds the large dataset in its own database (`manage.py build_bench_dataset`: 10,000
   questions, 2,000 other candidates with 20,000 finished mocks, BENCH_SITTING candidates with a
   mock in progress and a session each) and times starting a mock in process.
2. Starts gunicorn (gthread, DEBUG off, whitenoise, PostgreSQL's pool when BENCH_DATABASE_URL
   is PostgreSQL) with benchmark-only settings that add a one-INSERT baseline view.
3. Interleaved closed-loop rounds (baseline, the raw-SQL floor, save, save and next, in
   rotating order): requests per second, latency and server CPU per request (gunicorn
   workers plus, on PostgreSQL, the backends of the benchmark database: stable on a noisy
   machine, unlike wall time).
4. The veteran's history pages and the instructor's item-analysis admin pages (the list
   and one question), one request at a time: p50/p95/p99 and server CPU per request. The
   item statistics' precompute is timed in process by the dataset command.
5. An open-loop mix at the arrival rate of BENCH_CANDIDATES candidates: latency from the due
   time, p50/p95/p99 per kind, errors, worker memory.

Environment: BENCH_DATABASE_URL (default SQLite under .bench/), BENCH_QUESTIONS, BENCH_OTHERS,
BENCH_HISTORY, BENCH_SITTING, BENCH_REUSE=1 (keep the dataset of the last run), BENCH_WORKERS,
BENCH_THREADS, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_ROUND_SECONDS, BENCH_CANDIDATES,
BENCH_SECONDS, BENCH_PAGE_REQUESTS, BENCH_ADMIN_REQUESTS.
"""

import asyncio
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.load import Connection, Sitter, closed_loop, open_loop

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BENCH_DIR = ROOT / ".bench"


def setting(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}", default)


WORKERS = int(setting("WORKERS", "2"))
THREADS = int(setting("THREADS", "4"))
CONNECTIONS = int(setting("CONNECTIONS", str(WORKERS * THREADS)))
ROUNDS = int(setting("ROUNDS", "3"))
ROUND_SECONDS = float(setting("ROUND_SECONDS", "3"))
# One open-loop run per figure, in this order: "1000,2500,5000" finds where p99 breaks.
CANDIDATES = [int(n) for n in setting("CANDIDATES", "5000").split(",")]
SECONDS = float(setting("SECONDS", "20"))
# What one candidate sends per question (166 s on average): a change saved, "save and next",
# the clock's resynchronisation every 5 minutes, and now and then a palette click.
QUESTION_SECONDS = 166
MIX = {"save": 1.0, "save and next": 1.0, "clock": QUESTION_SECONDS / 300, "navigate": 0.25}


def environment() -> dict:
    BENCH_DIR.mkdir(exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-only-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        capture_output=True,
    ).stdout  # fmt: skip


RESET = """
from attempts.models import AttemptChoice, AttemptQuestion
AttemptQuestion.objects.filter(attempt__status="in_progress").update(version=0, selected_count=0)
AttemptChoice.objects.filter(item__attempt__status="in_progress").update(
    selected=False, struck=False
)
"""


def sessions_file(env) -> Path:
    """One per benchmark database, so a SQLite and a PostgreSQL dataset can both be reused."""
    name = re.sub(r"\W+", "-", env["DATABASE_URL"].rsplit("/", 1)[-1].split("?")[0])
    return BENCH_DIR / f"sessions-{name}.json"


def prepare(env) -> None:
    sessions = sessions_file(env)
    sizes = ["--questions", setting("QUESTIONS", "10000"), "--others", setting("OTHERS", "2000")]
    sizes += ["--history", setting("HISTORY", "20000"), "--sitting", setting("SITTING", "500")]
    sizes += ["--veteran", setting("VETERAN", "200")]
    if setting("REUSE", "") and sessions.exists():
        manage(env, "shell", "-c", RESET)
        print("reusing the dataset of the last run (answers reset)")
        print(manage(env, "build_bench_dataset", "--measure-only", *sizes).strip())
        return
    if env["DATABASE_URL"].startswith("sqlite:///"):
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    if not env["DATABASE_URL"].startswith("sqlite:///"):
        manage(env, "flush", "--noinput")  # a PostgreSQL bench database starts empty too
    manage(env, "load_blueprint")
    manage(env, "import_questions", "fixtures/bank")
    manage(env, "shell", "-c", "from tests.bench.views import create_table; create_table()")
    manage(env, "collectstatic", "--noinput", "-v0")
    print(manage(env, "build_bench_dataset", "--sessions-file", str(sessions), *sizes).strip())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def database_pids(env) -> list[int]:
    """PostgreSQL backends serving the benchmark database (none for SQLite: in the workers)."""
    if env["DATABASE_URL"].startswith("sqlite"):
        return []
    name = env["DATABASE_URL"].rsplit("/", 1)[-1].split("?")[0]
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {name} " in title:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(pids) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return seconds


class CpuMeter:
    def __init__(self, master: int, env):
        self.master, self.env = master, env

    def pids(self):
        return children(self.master) + database_pids(self.env)

    def __enter__(self):
        self.before = cpu_seconds(self.pids())
        return self

    def __exit__(self, *exc):
        after = cpu_seconds(self.pids())
        self.used = sum(after[p] - self.before.get(p, 0.0) for p in after)


def memory_mb(pids) -> list[float]:
    sizes = []
    for pid in pids:
        rss = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        if rss:
            sizes.append(int(rss.group(1)) / 1024)
    return sizes


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def row(kind, ms):
    return (
        f"| {kind} | {len(ms)} | {statistics.median(ms):.1f} | {percentile(ms, 0.95):.1f} | "
        f"{percentile(ms, 0.99):.1f} |"
    )


def compare(port, sitters, meter) -> None:
    """Baseline, save and save-and-next in interleaved rounds (the order rotates each round)."""
    kinds = ["baseline", "floor", "save", "save and next"]
    rates, cpu, latencies = {k: [] for k in kinds}, {k: [] for k in kinds}, {k: [] for k in kinds}
    errors = {}
    asyncio.run(closed_loop("127.0.0.1", port, sitters, "save", CONNECTIONS, 1.0))  # warm up
    for n in range(ROUNDS):
        for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
            with meter:
                started = time.perf_counter()
                tally = asyncio.run(
                    closed_loop("127.0.0.1", port, sitters, kind, CONNECTIONS, ROUND_SECONDS)
                )
                elapsed = time.perf_counter() - started
            done = tally.count()
            rates[kind].append(done / elapsed)
            cpu[kind].append(meter.used / done * 1000)
            latencies[kind] += [s * 1000 for s in tally.latencies[kind]]
            for what, count in tally.errors.items():
                errors[what] = errors.get(what, 0) + count
    print(
        f"\nInterleaved closed loop: {ROUNDS} rounds x {ROUND_SECONDS:.0f} s per kind, "
        f"{CONNECTIONS} connections\n"
    )
    print("| kind | requests/s (median of rounds) | server CPU ms/request | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- |")
    for kind in kinds:
        ms = latencies[kind]
        print(
            f"| {kind} | {statistics.median(rates[kind]):.0f} | "
            f"{statistics.median(cpu[kind]):.2f} | {statistics.median(ms):.1f} | "
            f"{percentile(ms, 0.99):.1f} |"
        )
    base = statistics.median(rates["baseline"])
    floor = statistics.median(rates["floor"])
    save = statistics.median(rates["save"])
    step = statistics.median(rates["save and next"])
    print(
        f"\nfloor (the save's statements in raw SQL) / baseline throughput: {floor / base:.2f}x; "
        f"save / floor: {save / floor:.2f}x"
    )
    print(
        f"save / baseline throughput: {save / base:.2f}x; CPU per request "
        f"{statistics.median(cpu['save']) / statistics.median(cpu['baseline']):.2f}x the baseline;"
        f" save and next costs {statistics.median(cpu['save and next']) / statistics.median(cpu['save']):.2f}x"  # noqa: E501
        f" a save (CPU), {save / step:.2f}x (throughput)"
    )
    print(f"errors: {errors or 'none'}")


def veteran_file(env) -> Path:
    sessions = sessions_file(env)
    return sessions.with_name(f"{sessions.stem}-veteran.json")


PAGE_REQUESTS = int(setting("PAGE_REQUESTS", "60"))


def one_at_a_time(port, meter, session: str, urls: dict[str, str], count: int) -> None:
    """GET each page `count` times over one keep-alive connection, one request at a time, and
    print its latencies and the server CPU per request (metered page by page)."""
    headers = {"Cookie": f"sessionid={session}"}

    async def timed(url):
        connection, latencies, errors = Connection("127.0.0.1", port), [], 0
        for _ in range(count):
            started = time.perf_counter()
            status, _ = await connection.request("GET", url, headers)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += status != 200
        connection.close()
        return latencies, errors

    print("| request | count | p50 ms | p95 ms | p99 ms | server CPU ms/request |")
    print("| --- | --- | --- | --- | --- | --- |")
    errors = 0
    for name, url in urls.items():
        with meter:
            ms, failed = asyncio.run(timed(url))
        errors += failed
        print(f"{row(name, ms)} {meter.used / len(ms) * 1000:.1f} |")
    print(f"errors: {errors or 'none'}")


def pages(port, env, meter) -> None:
    """The pages that list a candidate's history, for one with many finished mocks (the
    dataset's veteran), one request at a time: the latency a candidate sees, not throughput."""
    if not veteran_file(env).exists():
        print("\nNo veteran in this dataset (built before there was one): rebuild it without")
        print("BENCH_REUSE to time the history pages.")
        return
    veteran = json.loads(veteran_file(env).read_text())
    code = veteran["exam"]
    urls = {"progress page": f"/exams/{code}/progress/", "exam page": f"/exams/{code}/"}
    print(
        f"\nHistory pages of a candidate with {veteran.get('mocks', 'many')} finished mocks, "
        f"{PAGE_REQUESTS} requests each, one at a time\n"
    )
    one_at_a_time(port, meter, veteran["session"], urls, PAGE_REQUESTS)


def instructor_file(env) -> Path:
    sessions = sessions_file(env)
    return sessions.with_name(f"{sessions.stem}-instructor.json")


ADMIN_REQUESTS = int(setting("ADMIN_REQUESTS", "20"))


def item_analysis_pages(port, env, meter) -> None:
    """The admin's item analysis as an instructor sees it: the exam's list (a page of 100
    questions, each with its statistics computed live over every finished mock) and one
    question's page, one request at a time."""
    if not instructor_file(env).exists():
        print("\nNo instructor in this dataset (built before there was one): rebuild it without")
        print("BENCH_REUSE to time the item-analysis pages.")
        return
    instructor = json.loads(instructor_file(env).read_text())
    urls = {
        "item analysis list": (
            f"/admin/attempts/itemanalysis/?exam__id__exact={instructor['exam_id']}"
        ),
        "item analysis, one question": (
            f"/admin/attempts/itemanalysis/{instructor['question']}/change/"
        ),
    }
    print(
        f"\nItem-analysis admin pages of {instructor['exam']} as an instructor, "
        f"{ADMIN_REQUESTS} requests each, one at a time\n"
    )
    one_at_a_time(port, meter, instructor["session"], urls, ADMIN_REQUESTS)


def mixed(port, sitters, meter, candidates: int) -> None:
    rate = candidates * sum(MIX.values()) / QUESTION_SECONDS
    with meter:
        started = time.perf_counter()
        tally = asyncio.run(open_loop("127.0.0.1", port, sitters, MIX, rate, SECONDS))
        elapsed = time.perf_counter() - started
    print(
        f"\nOpen loop: {candidates} candidates' arrival rate, {rate:.1f} requests/s for "
        f"{SECONDS:.0f} s over {len(sitters)} sessions; latency from the due time\n"
    )
    print("| request | count | p50 ms | p95 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- |")
    everything = []
    for kind, values in sorted(tally.latencies.items()):
        ms = [v * 1000 for v in values]
        everything += ms
        print(row(kind, ms))
    print(row("all", everything))
    done = tally.count()
    print(
        f"\n{done} requests in {elapsed:.1f} s; server CPU {meter.used / done * 1000:.2f} ms per "
        f"request, {meter.used / elapsed * 100:.0f}% of one core"
    )
    print(f"errors: {dict(tally.errors) or 'none'}")


def main():
    env = environment()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, database {env['DATABASE_URL'].split(':')[0]}"
    )
    prepare(env)
    sitters = [Sitter(**s) for s in json.loads(sessions_file(env).read_text())]
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
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        meter = CpuMeter(server.pid, env)
        print(f"gunicorn: {WORKERS} workers x {THREADS} threads")
        half = len(sitters) // 2
        compare(port, sitters[:half], meter)
        pages(port, env, meter)
        item_analysis_pages(port, env, meter)
        for candidates in CANDIDATES:
            mixed(port, sitters[half:], meter, candidates)
        memory = memory_mb(children(server.pid))
        print(f"\ngunicorn worker memory (RSS): {', '.join(f'{m:.0f} MB' for m in memory)}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
