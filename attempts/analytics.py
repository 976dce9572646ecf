"""A candidate's progress on one exam, shaped for the Progress page (docs/analytics.md).

Every figure is aggregated in SQL over a window of finished attempts; the page costs the same
number of queries for a candidate with one attempt or two hundred.
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from attempts import readiness
from attempts.assembly import domain_shares
from attempts.models import (
    Attempt,
    AttemptDomainResult,
    AttemptQuestion,
    ReviewCard,
    due_q,
    in_rotation_q,
)
from questions.models import Exam, Question

WINDOWS = {"5": 5, "10": 10, "all": None}
MODES = {"all": None, "mock": Attempt.Mode.MOCK, "drill": Attempt.Mode.DRILL}
WEAKEST = 5
LONGEST = 5
# Fewer answers than this in a task statement or service say nothing yet about a weakness.
MIN_ANSWERS_FOR_WEAKNESS = 3


@dataclass(frozen=True)
class ProgressFilter:
    last: str = "10"
    mode: str = "all"

    @classmethod
    def from_query(cls, query) -> "ProgressFilter":
        last, mode = query.get("last", "10"), query.get("mode", "all")
        return cls(last if last in WINDOWS else "10", mode if mode in MODES else "all")

    def attempts(self, user, exam):
        """The finished attempts this filter covers, as a subquery (newest first)."""
        rows = Attempt.objects.finished().filter(user=user, exam=exam)
        if MODES[self.mode]:
            rows = rows.filter(mode=MODES[self.mode])
        rows = rows.order_by("-finished_at").values("pk")
        return rows[: WINDOWS[self.last]] if WINDOWS[self.last] else rows


@dataclass(frozen=True)
class Share:
    """Answers right over answers served in one area (domain, task statement or service)."""

    key: int
    label: str
    answered: int
    right: int

    @property
    def share(self) -> float:
        return self.right / self.answered if self.answered else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)


def right_count():
    return Count("pk", filter=Q(is_correct=True))


def score_trend(user, exam, progress_filter: ProgressFilter) -> list[Attempt]:
    """Finished mocks in the window, oldest first (the chart reads left to right)."""
    mocks = Attempt.objects.finished().mocks().filter(user=user, exam=exam)
    mocks = mocks.order_by("-finished_at").only(
        "pk", "finished_at", "scaled_score", "scaled_pass", "passed", "correct_count",
        "question_count",
    )  # fmt: skip
    window = WINDOWS[progress_filter.last]
    return list(reversed(mocks[:window] if window else mocks))


def domain_shares_of(items, domains) -> list[Share]:
    rows = {
        row["domain_id"]: row
        for row in items.values("domain_id").annotate(n=Count("pk"), right=right_count())
    }
    return [
        Share(d.pk, f"{d.number}. {d.title}", rows.get(d.pk, {}).get("n", 0),
              rows.get(d.pk, {}).get("right", 0))
        for d in domains
    ]  # fmt: skip


def task_shares(items) -> list[Share]:
    rows = (
        items.exclude(task_statement=None)
        .values("task_statement_id", "task_statement__code", "task_statement__text")
        .annotate(n=Count("pk"), right=right_count())
        .order_by("task_statement__code")
    )
    return [
        Share(r["task_statement_id"], f"{r['task_statement__code']} {r['task_statement__text']}",
              r["n"], r["right"])
        for r in rows
    ]  # fmt: skip


def kind_shares(items) -> list[Share]:
    """Accuracy per question kind served (ordering and matching count only when every step or
    pair was right), in the order of Question.Kind; kinds never served are left out."""
    rows = dict(
        (r["kind"], (r["n"], r["right"]))
        for r in items.values("kind").annotate(n=Count("pk"), right=right_count()).order_by()
    )
    return [
        Share(index, label, *rows[kind])
        for index, (kind, label) in enumerate(Question.Kind.choices)
        if kind in rows
    ]


def service_shares(items) -> list[Share]:
    """Accuracy per AWS service. An inner join to the links: grouping with
    `exclude(services=None)` put an anti-join over every candidate's links in the plan, whose
    estimate alone had PostgreSQL JIT-compile a 2 ms query for 15 ms."""
    rows = (
        items.filter(services__isnull=False)
        .values("services__id", "services__name")
        .annotate(n=Count("pk"), right=right_count())
        .order_by("services__name")
    )
    return [Share(r["services__id"], r["services__name"], r["n"], r["right"]) for r in rows]


def weakest(
    shares: list[Share], *, limit: int = WEAKEST, min_answers: int = MIN_ANSWERS_FOR_WEAKNESS
) -> list[Share]:
    """The one ranking of weak areas (this page and weak-spot drills): areas with at least
    `min_answers` answers and at least one miss, lowest share first, more answers first."""
    weak = [s for s in shares if s.answered >= min_answers and s.right < s.answered]
    return sorted(weak, key=lambda s: (s.share, -s.answered, s.label))[:limit]


@dataclass(frozen=True)
class Pace:
    key: int
    label: str
    median_seconds: float | None
    questions: int


def pace_by_domain(items, domains) -> list[Pace]:
    """Median seconds per question in each domain, over questions the candidate spent time on."""
    seconds: dict[int, list[int]] = {d.pk: [] for d in domains}
    for domain_id, spent in items.filter(seconds_spent__gt=0).values_list(
        "domain_id", "seconds_spent"
    ):
        seconds.setdefault(domain_id, []).append(spent)
    return [
        Pace(d.pk, f"{d.number}. {d.title}",
             statistics.median(seconds[d.pk]) if seconds[d.pk] else None, len(seconds[d.pk]))
        for d in domains
    ]  # fmt: skip


def budget_seconds(exam: Exam) -> float:
    """The exam's pace from its blueprint: its duration over its questions."""
    return exam.seconds_per_question


def longest_questions(items):
    return list(
        items.filter(seconds_spent__gt=0)
        .select_related("attempt", "domain")
        .only(
            "position", "question_key", "seconds_spent", "is_correct", "attempt__id",
            "attempt__mode", "attempt__started_at", "domain__number",
        )
        .order_by("-seconds_spent", "-attempt__finished_at")[:LONGEST]
    )  # fmt: skip


def readiness_of(user, exam: Exam, domains) -> readiness.Readiness:
    """Predicted next mock from every finished attempt, from the counts per attempt and domain
    stored when each was scored (its cost follows the number of attempts, not of questions)."""
    rows = (
        AttemptDomainResult.objects.filter(
            attempt__user=user, attempt__exam=exam, attempt__status=Attempt.Status.FINISHED
        )
        .order_by("-attempt__finished_at", "attempt_id")
        .values_list("attempt_id", "domain_id", "served", "right")
    )
    ages: dict[int, int] = {}
    counts = []
    for attempt_id, domain_id, served, right in rows:
        age = ages.setdefault(attempt_id, len(ages))
        counts.append(readiness.DomainCount(age, domain_id, served, right))
    return readiness.predict(
        counts,
        domain_shares(exam, domains),
        cut=Decimal(exam.pass_share),
        scaled_min=exam.scaled_min,
        scaled_pass=exam.scaled_pass,
        scaled_max=exam.scaled_max,
    )


@dataclass(frozen=True)
class DueCards:
    key: int
    label: str
    due_now: int
    later: int


def due_by_domain(user, domains, now) -> list[DueCards]:
    rows = {
        row["question__domain_id"]: row
        for row in ReviewCard.objects.filter(
            in_rotation_q(), user=user, question__domain__in=domains
        )
        .values("question__domain_id")
        .annotate(now=Count("pk", filter=due_q(now)), later=Count("pk", filter=~due_q(now)))
    }
    return [
        DueCards(d.pk, f"{d.number}. {d.title}", rows.get(d.pk, {}).get("now", 0),
                 rows.get(d.pk, {}).get("later", 0))
        for d in domains
    ]  # fmt: skip


def progress(user, exam: Exam, progress_filter: ProgressFilter, now) -> dict:
    """Everything the Progress page shows, in a fixed number of queries."""
    domains = list(exam.domains.order_by("number"))
    items = AttemptQuestion.objects.filter(attempt__in=progress_filter.attempts(user, exam))
    trend = score_trend(user, exam, progress_filter)
    by_domain = domain_shares_of(items, domains)
    tasks = task_shares(items)
    services = service_shares(items)
    prediction = readiness_of(user, exam, domains)
    titles = {d.pk: d for d in domains}
    return {
        "domains": domains,
        "trend": trend,
        "change": trend[-1].scaled_score - trend[-2].scaled_score if len(trend) > 1 else None,
        "by_domain": by_domain,
        "by_task": tasks,
        "by_kind": kind_shares(items),
        "weakest_tasks": weakest(tasks),
        "weakest_services": weakest(services),
        "pace": pace_by_domain(items, domains),
        "budget": round(budget_seconds(exam)),
        "longest": longest_questions(items),
        "readiness": prediction,
        "mover": titles.get(prediction.mover_domain_id),
        "mover_is_weakest": bool(prediction.domains)
        and prediction.mover_domain_id == min(prediction.domains, key=lambda e: e.share).domain_id,
        "due": due_by_domain(user, domains, now),
        "min_answers": MIN_ANSWERS_FOR_WEAKNESS,
    }
