"""Benchmark-only settings: production's, plus the one-INSERT baseline view (tests/bench/urls.py).

Never used by the app or the test suite; `make bench` starts gunicorn with them.
"""

from examprep.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
