"""The bank health report: what the published bank can serve, and what an instructor must fix."""

from collections import defaultdict

from django.db.models import Count, Q

from questions import bank_metrics
from questions import references as reference_rules
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

    questions, choices_by_question = _published_with_choices(published)
    problems.extend(_question_problems(questions, choices_by_question))
    problems.extend(_duplicate_stems(questions))
    problems.extend(_thin_topics(exam, published))
    without_topics = published.filter(topics__isnull=True).count()
    if without_topics:
        problems.append(
            f"{without_topics} published question(s) have no topic, so topic drills never "
            "serve them."
        )
    without_url = sum(
        1
        for question in questions
        for reference in reference_rules.parse(question.references)
        if not reference.url
    )
    if without_url:
        problems.append(
            f"{without_url} reference(s) name a page without its URL; write them as "
            "- [Title](https://docs.aws.amazon.com/...)."
        )
    # The item-writing figures (stem and option lengths, where the key sits) are defined over
    # options a candidate ticks: ordering steps and matching prompts stay out of them.
    overall, by_group, item_problems = bank_metrics.measure(
        _item_shape(question, choices_by_question[question.pk])
        for question in questions
        if not question.is_placement
    )
    problems.extend(item_problems)

    return {
        "exam": exam.code,
        "published": published.count(),
        "by_domain": by_domain,
        "by_task_statement": by_task,
        "by_kind": by_kind,
        "services": services,
        "full_mocks_without_repeat": full_mocks,
        "questions_without_topics": without_topics,
        "references_without_url": without_url,
        "item_writing": {"overall": overall, "by_domain": by_group},
        "problems": problems,
    }


def _published_with_choices(published) -> tuple[list[Question], dict[int, list[Choice]]]:
    """The published questions with their choices: two queries whatever the bank's size."""
    questions = list(
        published.select_related("domain")
        .only(
            "id",
            "key",
            "kind",
            "select_count",
            "status",
            "stem",
            "references",
            "domain__number",
        )  # fmt: skip
        .order_by("key")
    )
    choices_by_question = defaultdict(list)
    for choice in Choice.objects.filter(question__in=published).order_by("order", "id"):
        choices_by_question[choice.question_id].append(choice)
    return questions, choices_by_question


def _item_shape(question: Question, choices: list[Choice]) -> bank_metrics.ItemShape:
    return bank_metrics.ItemShape(
        key=question.key,
        group=str(question.domain.number),
        stem=question.stem,
        kind=question.kind,
        options=[(c.text, c.is_correct, c.role) for c in choices],
    )


def _question_problems(questions, choices_by_question) -> list[str]:
    problems = []
    for question in questions:
        for message in question.choice_problems(choices_by_question[question.pk]):
            problems.append(f"Question {question.key}: {message}")
    return problems


def normalized_stem(stem: str) -> str:
    """A stem reduced to lower-case words, so reworded whitespace still counts as duplicate."""
    return " ".join(stem.lower().split())


def _duplicate_stems(questions) -> list[str]:
    keys_by_stem = defaultdict(list)
    for question in questions:
        keys_by_stem[normalized_stem(question.stem)].append(question.key)
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
        f"  questions without topics: {report['questions_without_topics']}",
        f"  references without a URL: {report['references_without_url']}",
        "  item writing (bank): "
        + ", ".join(f"{k}: {v}" for k, v in report["item_writing"]["overall"].items()),
    ]
    if report["problems"]:
        lines.append(f"  problems ({len(report['problems'])}):")
        lines.extend(f"    - {problem}" for problem in report["problems"])
    else:
        lines.append("  problems: none")
    return "\n".join(lines)
