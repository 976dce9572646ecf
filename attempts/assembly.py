"""Choosing the questions of a mock: blueprint shares, freshness, spread (DESIGN.md "Mock exam").

`pick_questions` is pure; `mock_candidates` reads the candidate's own history and a bounded
random draw from the bank, three queries whose cost does not grow with other candidates'
attempts nor, beyond a few hundred rows, with the size of the bank.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber

from attempts.models import AttemptQuestion
from questions.blueprint import apportion
from questions.models import Domain, Exam, Question, published_q

# The modulus of the random orders drawn in SQL (assembly here, choice order in the snapshot).
SHUFFLE_PRIME = 1_000_003


@dataclass(frozen=True)
class Candidate:
    question_id: int
    domain_id: int
    task_statement_id: int | None
    last_seen: datetime | None
    case_study_id: int | None = None


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


def sightings(user, exam: Exam, *fields: str):
    """(question id, *fields, when this candidate was last served it) for every question of
    the exam the candidate has been served: the one definition of "last seen".

    Grouped over the candidate's own attempts only (the attempt_history index, then each
    attempt's questions), so its cost follows the candidate's history, never everyone's: a
    Max filtered inside an annotation on Question joins every candidate's attempt questions.
    """
    return (
        AttemptQuestion.objects.filter(attempt__user=user, attempt__exam=exam)
        .filter(question__isnull=False)
        .order_by()  # the model's ordering would join into the GROUP BY
        .values("question_id", *fields)
        .annotate(last_seen=Max("attempt__started_at"))
        .values_list("question_id", *fields, "last_seen")
    )


def last_seen_by(user, exam: Exam) -> dict[int, datetime]:
    """When this candidate was last served each question of the exam (absent: never)."""
    return dict(sightings(user, exam))


def mock_candidates(
    exam: Exam, user, shares: dict[int, int], rng: random.Random
) -> list[Candidate]:
    """The published questions a mock can draw from, with when this candidate last saw each.

    Every published question the candidate has seen, and of the unseen ones only as many per
    task statement as the largest share, drawn at random in SQL: `pick_questions` never takes
    more than a domain's share from one task statement, so it chooses as it would from the
    whole bank, and a 10,000-question bank sends a few hundred rows to Python, not 10,000.
    """
    fields = ("question__domain_id", "question__task_statement_id", "question__case_study_id")
    seen = [
        Candidate(qid, domain, task, last_seen, case)
        for qid, domain, task, case, last_seen in sightings(user, exam, *fields).filter(
            published_q("question__")
        )
    ]
    mine = AttemptQuestion.objects.filter(attempt__user=user, attempt__exam=exam).filter(
        question__isnull=False  # NOT IN over a NULL would match nothing
    )
    # A per-start random order in SQL: (id * a + b) mod a prime, a and b from the rng.
    a, b = rng.randrange(1, SHUFFLE_PRIME), rng.randrange(SHUFFLE_PRIME)
    never_served = (
        Question.objects.published().for_exam(exam).exclude(pk__in=mine.values("question_id"))
    )
    unseen = (
        never_served.filter(case_study=None)
        .order_by()
        .annotate(
            rank_in_task=Window(
                RowNumber(),
                partition_by=[F("domain_id"), F("task_statement_id")],
                order_by=[((F("id") * a + b) % SHUFFLE_PRIME).asc(), F("id").asc()],
            )
        )
        .filter(rank_in_task__lte=max(shares.values(), default=0))
        .values_list("id", "domain_id", "task_statement_id")
    )
    # A case study's questions are drawn whole (pick_questions serves a case study only with
    # all its siblings), and there are few of them: no random cap.
    cases = never_served.exclude(case_study=None).values_list(
        "id", "domain_id", "task_statement_id", "case_study_id"
    )
    return (
        [Candidate(qid, domain, task, None) for qid, domain, task in unseen]
        + [Candidate(qid, domain, task, None, case) for qid, domain, task, case in cases]
        + seen
    )


def pick_questions(
    candidates: list[Candidate],
    shares: dict[int, int],
    rng: random.Random,
) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """Pick each domain's share: unseen first, then seen longest ago, spread over task statements.

    A case study comes whole when its questions fit their domains' shares (each question
    counts toward its own domain); the snapshot then serves them at adjacent positions.

    Returns the chosen question ids (unordered) and, for domains that fall short, their
    (available, needed) counts; the caller refuses to hand out a short exam.
    """
    by_domain: dict[int, list[Candidate]] = defaultdict(list)
    by_case: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_domain[candidate.domain_id].append(candidate)
        if candidate.case_study_id is not None:
            by_case[candidate.case_study_id].append(candidate)
    shortfalls: dict[int, tuple[int, int]] = {}
    ordered: dict[int, list[Candidate]] = {}
    for domain_id, needed in shares.items():
        pool = by_domain.get(domain_id, [])
        if len(pool) < needed:
            shortfalls[domain_id] = (len(pool), needed)
        else:
            ordered[domain_id] = _freshest_spread(pool, rng)
    if shortfalls:
        return [], shortfalls
    return _fill_shares(ordered, by_case, shares), {}


def _fill_shares(ordered, by_case, shares) -> list[int]:
    """Take each domain's preferred questions, a case study with all its siblings when every
    sibling's domain still has room; what is left is filled question by question."""
    room = dict(shares)
    chosen: dict[int, None] = {}  # insertion-ordered set
    for domain_id, pool in ordered.items():
        for candidate in pool:
            if room[domain_id] == 0:
                break
            if candidate.question_id in chosen:
                continue
            unit = [candidate]
            if candidate.case_study_id is not None:
                unit = [c for c in by_case[candidate.case_study_id] if c.question_id not in chosen]
                needs: dict[int, int] = defaultdict(int)
                for member in unit:
                    needs[member.domain_id] += 1
                if any(room.get(d, 0) < n for d, n in needs.items()):
                    continue
            for member in unit:
                chosen[member.question_id] = None
                room[member.domain_id] -= 1
    for domain_id, pool in ordered.items():
        for candidate in pool:
            if room[domain_id] == 0:
                break
            if candidate.question_id not in chosen:
                chosen[candidate.question_id] = None
                room[domain_id] -= 1
    return list(chosen)


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
