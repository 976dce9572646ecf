"""Item analysis for instructors: how each question, revision by revision, behaved in finished
mocks (docs/analytics.md). Sums are aggregated in SQL; only the arithmetic happens here.

Drills are left out: a candidate chooses their scope and gets feedback before moving on, so a
drill answer says less about the question than a mock answer does.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from attempts.models import Attempt, AttemptChoice, AttemptQuestion, QuestionReport
from questions.models import Choice, choice_letter

# Below this many responses a revision's figures are shown but no flag is raised: with a
# handful of candidates one lucky guess swings the facility by ten points.
MIN_RESPONSES = 10
TOO_EASY = 0.9
TOO_HARD = 0.2
# Discrimination (x100) below this is "near zero or negative": the question does not separate
# stronger from weaker candidates.
WEAK_DISCRIMINATION = 10

FLAGS = {
    "too_easy": "Too easy (facility above 0.9)",
    "too_hard": "Too hard (facility below 0.2)",
    "weak_discrimination": "Negative or near-zero discrimination",
    "unused_distractor": "A distractor nobody picks",
    "open_reports": "Open problem reports",
}


def discrimination(n: int, sx: int, sy: float, sxy: float, syy: float) -> float | None:
    """Pearson correlation x100 of the item mark x (0/1) with the rest-of-attempt score y,
    from sums; None when either has no spread. For a 0/1 mark, sum(x^2) == sum(x)."""
    spread_x = n * sx - sx * sx
    spread_y = n * syy - sy * sy
    if n < 2 or spread_x <= 0 or spread_y <= 0:
        return None
    return 100 * (n * sxy - sx * sy) / math.sqrt(spread_x * spread_y)


@dataclass
class ChoiceStats:
    choice_id: int | None
    letter: str
    text: str
    is_correct: bool
    served: int = 0
    picked: int = 0
    upper_served: int = 0
    upper_picked: int = 0
    lower_served: int = 0
    lower_picked: int = 0

    @staticmethod
    def _rate(picked, served):
        return picked / served if served else None

    @property
    def rate(self):
        return self._rate(self.picked, self.served)

    @property
    def upper_rate(self):
        return self._rate(self.upper_picked, self.upper_served)

    @property
    def lower_rate(self):
        return self._rate(self.lower_picked, self.lower_served)


@dataclass
class ItemStats:
    question_id: int
    revision: int
    served: int
    right: int
    discrimination: float | None
    median_seconds: float | None = None
    choices: list[ChoiceStats] = field(default_factory=list)
    open_reports: int = 0

    @property
    def facility(self) -> float | None:
        return self.right / self.served if self.served else None

    @property
    def flags(self) -> list[str]:
        found = ["open_reports"] if self.open_reports else []
        if self.served < MIN_RESPONSES:
            return found
        if self.facility > TOO_EASY:
            found.append("too_easy")
        if self.facility < TOO_HARD:
            found.append("too_hard")
        if self.discrimination is None or self.discrimination < WEAK_DISCRIMINATION:
            found.append("weak_discrimination")
        if any(not c.is_correct and c.picked == 0 for c in self.choices):
            found.append("unused_distractor")
        return found


def mock_items_q(question_ids=None, prefix: str = "") -> Q:
    """Items served in finished mocks (optionally of some questions only), reached from the
    queried model through `prefix` ("item__" from a choice)."""
    served = Q(
        **{
            f"{prefix}attempt__mode": Attempt.Mode.MOCK,
            f"{prefix}attempt__status": Attempt.Status.FINISHED,
            f"{prefix}question__isnull": False,
        }
    )
    if question_ids is not None:
        served &= Q(**{f"{prefix}question_id__in": question_ids})
    return served


def mock_items(question_ids=None):
    """Items served in finished mocks (optionally of some questions only)."""
    return AttemptQuestion.objects.filter(mock_items_q(question_ids))


def thirds(scores: list[int]) -> tuple[int | None, int | None]:
    """Scaled-score bounds of the lower and upper thirds: lower is score <= low, upper is
    score >= high. Ties at a bound join that group, as in Moodle's quiz statistics."""
    ordered = sorted(scores)
    k = len(ordered) // 3
    if k == 0:
        return None, None
    return ordered[k - 1], ordered[len(ordered) - k]


def item_stats(question_ids=None) -> dict[tuple[int, int], ItemStats]:
    """Statistics per (question, revision) over finished mocks; six queries whatever the size."""
    items = mock_items(question_ids)
    mark = Count("pk", filter=Q(is_correct=True))
    total = F("attempt__correct_count")
    rows = items.values("question_id", "question_revision").annotate(
        n=Count("pk"),
        sx=mark,
        sc=Sum(total),
        scc=Sum(total * total),
        sxc=Coalesce(Sum(total, filter=Q(is_correct=True)), Value(0)),
    )
    stats = {}
    for r in rows:
        # y = attempt total - item mark: sum y = sc - sx; sum xy = sxc - sx;
        # sum y^2 = scc - 2 sxc + sx (x^2 == x).
        sy, sxy = r["sc"] - r["sx"], r["sxc"] - r["sx"]
        syy = r["scc"] - 2 * r["sxc"] + r["sx"]
        key = (r["question_id"], r["question_revision"])
        stats[key] = ItemStats(*key, r["n"], r["sx"], discrimination(r["n"], r["sx"], sy, sxy, syy))

    seconds = defaultdict(list)
    # Unordered: the model's ordering would sort every item by its attempt's start for nothing.
    for question_id, revision, spent in (
        items.filter(seconds_spent__gt=0)
        .order_by()
        .values_list("question_id", "question_revision", "seconds_spent")
    ):
        seconds[question_id, revision].append(spent)
    for key, values in seconds.items():
        if key in stats:
            stats[key].median_seconds = statistics.median(values)

    low, high = thirds(
        list(
            Attempt.objects.filter(pk__in=items.values("attempt_id"))
            .order_by()
            .values_list("scaled_score", flat=True)
        )
    )
    upper = Q(item__attempt__scaled_score__gte=high) if high is not None else Q(pk__in=[])
    lower = Q(item__attempt__scaled_score__lte=low) if low is not None else Q(pk__in=[])
    # An ordering step or a matching prompt is a part of the key, not a distractor: it counts
    # as "picked" when placed right, so its pick rate is the share who placed it right.
    picked_q = Q(selected=True) | Q(key__isnull=False, answer=F("key"))
    # Grouped by choice id alone, with the items' conditions on the choices' own join (not a
    # second pass over the items through a subquery); the order and text of each choice are
    # read apart. Over an exam's whole history that is millions of rows hashed by three numbers
    # instead of sorted with their texts.
    choice_rows = (
        AttemptChoice.objects.filter(mock_items_q(question_ids, prefix="item__"))
        .order_by()
        .values("item__question_id", "item__question_revision", "choice_id")
        .annotate(
            served=Count("pk"),
            picked=Count("pk", filter=picked_q),
            upper_served=Count("pk", filter=upper),
            upper_picked=Count("pk", filter=upper & picked_q),
            lower_served=Count("pk", filter=lower),
            lower_picked=Count("pk", filter=lower & picked_q),
            correct=Count("pk", filter=Q(is_correct=True) | Q(key__isnull=False)),
        )
    )
    authored = Choice.objects.all()
    if question_ids is not None:
        authored = authored.filter(question_id__in=question_ids)
    order_and_text = {
        pk: (order, text) for pk, order, text in authored.values_list("pk", "order", "text")
    }

    # A deleted choice (its id gone) comes last, whatever the database's place for nulls.
    def place(row):
        order = order_and_text.get(row["choice_id"], (None, ""))[0]
        return (order is None, order or 0, row["choice_id"] or 0)

    for r in sorted(choice_rows, key=place):
        key = (r["item__question_id"], r["item__question_revision"])
        if key not in stats:
            continue
        order, text = order_and_text.get(r["choice_id"], (None, ""))
        stats[key].choices.append(
            ChoiceStats(
                r["choice_id"],
                choice_letter(order + 1) if order is not None else "?",
                text or "(choice deleted)",
                r["correct"] > 0,
                r["served"], r["picked"], r["upper_served"], r["upper_picked"],
                r["lower_served"], r["lower_picked"],
            )
        )  # fmt: skip

    reports = QuestionReport.objects.filter(status=QuestionReport.Status.OPEN)
    if question_ids is not None:
        reports = reports.filter(question_id__in=question_ids)
    for question_id, revision, n in (
        reports.exclude(question=None)
        .values("question_id", "question_revision")
        .annotate(n=Count("pk"))
        .values_list("question_id", "question_revision", "n")
    ):
        if (question_id, revision) in stats:
            stats[question_id, revision].open_reports = n
        else:
            stats[question_id, revision] = ItemStats(question_id, revision, 0, 0, None, None, [], n)
    return stats


def current(stats: dict, question) -> ItemStats | None:
    """The figures of the question's current revision (earlier ones stay on its page)."""
    return stats.get((question.pk, question.revision))


def flagged_ids(flag: str, questions) -> list[int]:
    """Questions whose current revision raises `flag`."""
    pairs = list(questions.values_list("pk", "revision"))
    stats = item_stats([pk for pk, _ in pairs])
    return [pk for pk, rev in pairs if (s := stats.get((pk, rev))) and flag in s.flags]


CSV_HEADER = [
    "question", "revision", "current_revision", "served", "facility", "discrimination",
    "median_seconds", "flags", "choice_pick_rates", "open_reports",
]  # fmt: skip


def write_csv(out, questions: dict, stats: dict) -> None:
    """One row per question and revision; pick rates as "A=0.60 B=0.10 ..."."""
    import csv

    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for (question_id, revision), s in sorted(
        stats.items(),
        key=lambda kv: (questions[kv[0][0]].key if kv[0][0] in questions else "", -kv[0][1]),
    ):
        question = questions.get(question_id)
        if question is None:
            continue
        writer.writerow([
            question.key, revision, question.revision, s.served,
            "" if s.facility is None else f"{s.facility:.3f}",
            "" if s.discrimination is None else f"{s.discrimination:.1f}",
            "" if s.median_seconds is None else s.median_seconds,
            " ".join(s.flags),
            " ".join(f"{c.letter}={c.rate:.2f}" for c in s.choices if c.rate is not None),
            s.open_reports,
        ])  # fmt: skip


def exam_stats(exam, *, now, fresh: bool = False) -> tuple[dict, object]:
    """Statistics for every question of the exam, and when they were computed: the stored
    snapshot when there is one (unless `fresh`), else computed now."""
    from attempts.models import ItemStatisticsSnapshot

    snapshot = None if fresh else ItemStatisticsSnapshot.objects.filter(exam=exam).first()
    if snapshot is None:
        ids = list(exam.questions.values_list("pk", flat=True))
        return item_stats(ids), now
    stats = {}
    for row in snapshot.rows:
        choices = [ChoiceStats(**c) for c in row.pop("choices")]
        stats[row["question_id"], row["revision"]] = ItemStats(**row, choices=choices)
    return stats, snapshot.computed_at


def snapshot_save(exam, *, now) -> int:
    """Compute and store the exam's item statistics; returns how many revisions they cover."""
    from attempts.models import ItemStatisticsSnapshot

    stats, _ = exam_stats(exam, now=now, fresh=True)
    ItemStatisticsSnapshot.objects.update_or_create(
        exam=exam, defaults={"computed_at": now, "rows": [asdict(s) for s in stats.values()]}
    )
    return len(stats)
