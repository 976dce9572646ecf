"""The bank health report: what the published bank can serve, and what an instructor must fix."""

from collections import defaultdict

from django.db.models import Count, Q

from questions.blueprint import apportion, weights_problem
from questions.models import Choice, Exam, Question, Service, TaskStatement

MIN_QUESTIONS_PER_TOPIC = 2


def bank_report(exam: Exam) -> dict:
    """Counts of the published bank by domain, task statement and kind, plus problems."""
    domains = list(exam.domains.order_by("number"))
    tasks = list(TaskStatement.objects.filter(domain__exam=exam).order_by("domain__number", "code"))
    published = Question.objects.published().for_exam(exam)
    problems: list[str] = []

    by_domain_rows = dict(
        published.values_list("domain__number")
        .annotate(n=Count("id"))
        .values_list("domain__number", "n")
    )
    by_domain = {str(d.number): by_domain_rows.get(d.number, 0) for d in domains}
    by_task_rows = dict(
        published.values_list("task_statement__code")
        .annotate(n=Count("id"))
        .values_list("task_statement__code", "n")
    )
    by_task = {task.code: by_task_rows.get(task.code, 0) for task in tasks}
    by_kind_rows = dict(
        published.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    by_kind = {kind: by_kind_rows.get(kind, 0) for kind in Question.Kind.values}
    services = Service.objects.filter(questions__in=published).distinct().count()

    weights = [d.weight_percent for d in domains]
    if domains and (problem := weights_problem(weights)):
        problems.append(problem)
    full_mocks = 0
    if domains and sum(weights) > 0:
        shares = apportion(exam.question_count, [d.weight_percent for d in domains])
        mocks_per_domain = []
        for domain, share in zip(domains, shares, strict=True):
            available = by_domain[str(domain.number)]
            mocks_per_domain.append(available // share if share else 0)
            if share and available < share:
                problems.append(
                    f"Domain {domain.number} has {available} published questions; one mock "
                    f"needs {share}."
                )
        full_mocks = min(mocks_per_domain)

    problems.extend(_question_problems(published))
    problems.extend(_duplicate_stems(published))
    problems.extend(_thin_topics(exam, published))

    return {
        "exam": exam.code,
        "published": published.count(),
        "by_domain": by_domain,
        "by_task_statement": by_task,
        "by_kind": by_kind,
        "services": services,
        "full_mocks_without_repeat": full_mocks,
        "problems": problems,
    }


def _question_problems(published) -> list[str]:
    choices_by_question = defaultdict(list)
    for choice in Choice.objects.filter(question__in=published).order_by("order", "id"):
        choices_by_question[choice.question_id].append(choice)
    problems = []
    for question in published.only("id", "key", "kind", "select_count").order_by("key"):
        for message in question.choice_problems(choices_by_question[question.pk]):
            problems.append(f"Question {question.key}: {message}")
    return problems


def normalized_stem(stem: str) -> str:
    """A stem reduced to lower-case words, so reworded whitespace still counts as duplicate."""
    return " ".join(stem.lower().split())


def _duplicate_stems(published) -> list[str]:
    keys_by_stem = defaultdict(list)
    for key, stem in published.order_by("key").values_list("key", "stem"):
        keys_by_stem[normalized_stem(stem)].append(key)
    return [
        f"Duplicate stem shared by questions {', '.join(keys)}."
        for keys in keys_by_stem.values()
        if len(keys) > 1
    ]


def _thin_topics(exam: Exam, published) -> list[str]:
    counts = dict(
        exam.topics.annotate(n=Count("questions", filter=Q(questions__in=published))).values_list(
            "code", "n"
        )
    )
    return [
        f"Topic {code} has {count} published question(s); the syllabus needs at least "
        f"{MIN_QUESTIONS_PER_TOPIC}."
        for code, count in sorted(counts.items())
        if count < MIN_QUESTIONS_PER_TOPIC
    ]


def format_report_text(report: dict) -> str:
    lines = [
        f"Bank report for {report['exam']}",
        f"  published questions: {report['published']}",
        f"  full mocks without a repeat: {report['full_mocks_without_repeat']}",
        "  by domain: " + ", ".join(f"{k}: {v}" for k, v in report["by_domain"].items()),
        "  by task statement: "
        + ", ".join(f"{k}: {v}" for k, v in report["by_task_statement"].items()),
        "  by kind: " + ", ".join(f"{k}: {v}" for k, v in report["by_kind"].items()),
        f"  services tagged: {report['services']}",
    ]
    if report["problems"]:
        lines.append(f"  problems ({len(report['problems'])}):")
        lines.extend(f"    - {problem}" for problem in report["problems"])
    else:
        lines.append("  problems: none")
    return "\n".join(lines)
