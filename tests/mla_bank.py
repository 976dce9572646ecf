"""A small MLA-C01-like exam in the database: every kind, and a case study (tests and e2e)."""

from decimal import Decimal

from questions.models import CaseStudy, Choice, Question
from tests.factories import DomainFactory, ExamFactory, QuestionFactory

STEPS = ["Register the model", "Approve the version", "Deploy to staging", "Shift traffic"]
PROMPTS = [
    ("Detect data drift", "Model Monitor"),
    ("Explain predictions", "Clarify"),
    ("Profile training", "Debugger"),
]
RESPONSES = ["Clarify", "Debugger", "Model Monitor", "Ground Truth"]


def ordering_question(domain, key, *, steps=STEPS, case_study=None) -> Question:
    question = QuestionFactory(
        domain=domain, key=key, kind=Question.Kind.ORDERING, case_study=case_study,
        stem=f"Put the release steps in order ({key}).", choices=[],
    )  # fmt: skip
    Choice.objects.bulk_create(
        Choice(question=question, order=n, text=text, rationale=f"Why {text} is step {n + 1}.")
        for n, text in enumerate(steps)
    )
    return question


def matching_question(domain, key, *, case_study=None) -> Question:
    question = QuestionFactory(
        domain=domain, key=key, kind=Question.Kind.MATCHING, case_study=case_study,
        stem=f"Match each task to a SageMaker feature ({key}).", choices=[],
        responses="\n".join(RESPONSES),
    )  # fmt: skip
    Choice.objects.bulk_create(
        Choice(question=question, order=n, text=text, match=match, rationale=f"{text}: {match}.")
        for n, (text, match) in enumerate(PROMPTS)
    )
    return question


def mla_mini_exam():
    """MLA-MINI: 6 questions, two domains of 3. Domain 1: a single, an ordering, a matching;
    domain 2: the case study "Claims triage" with a single, an ordering and a multiple."""
    exam = ExamFactory(
        code="MLA-MINI", question_count=6, duration_minutes=20, scaled_pass=720,
        pass_share=Decimal("0.700"),
        title="ML Engineer mini mock",
    )  # fmt: skip
    first = DomainFactory(exam=exam, number=1, weight_percent=50)
    second = DomainFactory(exam=exam, number=2, weight_percent=50)
    case = CaseStudy.objects.create(
        exam=exam, key="cs-claims", title="Claims triage",
        scenario="An insurer triages **claims** with a model hosted on SageMaker AI.",
    )  # fmt: skip
    QuestionFactory(domain=first, key="m-single")
    ordering_question(first, "m-order")
    matching_question(first, "m-match")
    QuestionFactory(domain=second, key="m-case-single", case_study=case)
    ordering_question(second, "m-case-order", steps=STEPS[:3], case_study=case)
    QuestionFactory(domain=second, key="m-case-multi", kind="multiple", case_study=case)
    return exam
