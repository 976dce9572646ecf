"""Choosing the questions of a mock: blueprint shares, freshness, spread (DESIGN.md "Mock exam").

`pick_questions` is pure; `mock_candidates` reads the bank in one query.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q

from questions.blueprint import apportion
from questions.models import Domain, Exam, Question


@dataclass(frozen=True)
class Candidate:
    question_id: int
    domain_id: int
    task_statement_id: int | None
    last_seen: datetime | None


class BankTooSmall(Exception):
    """The published bank cannot fill the blueprint; the message says where it falls short."""

    def __init__(self, shortfalls: list[tuple[Domain, int, int]]):
        self.shortfalls = shortfalls
        parts = [
            f"domain {domain.number} ({domain.title}) has {available} published questions "
            f"and a mock needs {needed}"
            for domain, available, needed in shortfalls
        ]
        super().__init__(
            "The question bank is too small for a full mock: " + "; ".join(parts) + "."
        )


def domain_shares(exam: Exam, domains: list[Domain], count: int | None = None) -> dict[int, int]:
    """How many questions each domain gets: the largest-remainder split of the question count
    (or of `count`, for a quick mock)."""
    seats = apportion(count or exam.question_count, [d.weight_percent for d in domains])
    return {domain.pk: seat for domain, seat in zip(domains, seats, strict=True)}


def last_seen_by(user) -> Max:
    """When this candidate was last served the question (None if never): for annotate()."""
    return Max(
        "attempt_questions__attempt__started_at",
        filter=Q(attempt_questions__attempt__user=user),
    )


def mock_candidates(exam: Exam, user) -> list[Candidate]:
    """Every published question of the exam with when this candidate last saw it."""
    rows = (
        Question.objects.published()
        .for_exam(exam)
        .annotate(last_seen=last_seen_by(user))
        .values_list("id", "domain_id", "task_statement_id", "last_seen")
    )
    return [Candidate(*row) for row in rows]


def pick_questions(
    candidates: list[Candidate],
    shares: dict[int, int],
    rng: random.Random,
) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """Pick each domain's share: unseen first, then seen longest ago, spread over task statements.

    Returns the chosen question ids (unordered) and, for domains that fall short, their
    (available, needed) counts; the caller refuses to hand out a short exam.
    """
    by_domain: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_domain[candidate.domain_id].append(candidate)
    chosen: list[int] = []
    shortfalls: dict[int, tuple[int, int]] = {}
    for domain_id, needed in shares.items():
        pool = by_domain.get(domain_id, [])
        if len(pool) < needed:
            shortfalls[domain_id] = (len(pool), needed)
            continue
        chosen.extend(c.question_id for c in _freshest_spread(pool, rng)[:needed])
    return chosen, shortfalls


def _freshest_spread(pool: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Order a domain's pool: never seen before seen, oldest sighting first, tasks interleaved."""
    shuffled = pool[:]
    rng.shuffle(shuffled)
    unseen = [c for c in shuffled if c.last_seen is None]
    seen = sorted((c for c in shuffled if c.last_seen is not None), key=lambda c: c.last_seen)
    return _interleave_by_task(unseen) + _interleave_by_task_keeping_age(seen)


def _interleave_by_task(pool: list[Candidate]) -> list[Candidate]:
    """Round-robin over task statements so a short share still covers as many as it can."""
    rank_in_task: dict[int | None, int] = defaultdict(int)
    ranked = []
    for index, candidate in enumerate(pool):
        rank = rank_in_task[candidate.task_statement_id]
        rank_in_task[candidate.task_statement_id] += 1
        ranked.append((rank, index, candidate))
    return [candidate for _, _, candidate in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _interleave_by_task_keeping_age(pool: list[Candidate]) -> list[Candidate]:
    # Age matters more than spread among questions already seen: the oldest come back first,
    # and within one sighting time (the same earlier attempt) tasks are interleaved.
    by_time: dict[datetime, list[Candidate]] = defaultdict(list)
    for candidate in pool:
        by_time[candidate.last_seen].append(candidate)
    ordered = []
    for seen_at in sorted(by_time):
        ordered.extend(_interleave_by_task(by_time[seen_at]))
    return ordered
