from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from questions import references as reference_rules

MIN_SINGLE_CHOICES = 4
MIN_MULTIPLE_CHOICES = 5
MAX_CHOICES = 8
MIN_STEPS, MAX_STEPS = 3, 5  # ordering: steps put in order
MIN_PROMPTS, MAX_PROMPTS = 3, 7  # matching: prompts, each matched to one response
MAX_RESPONSES = 10
CHOICE_LETTERS = "ABCDEFGH"
PUBLISHED = "published"


def choice_letter(position: int) -> str:
    """The letter a candidate sees for the choice at `position` (1-based): A, B, C..."""
    return CHOICE_LETTERS[position - 1] if 1 <= position <= MAX_CHOICES else str(position)


def published_q(prefix: str = "") -> Q:
    """The one definition of "served to candidates"; `prefix` reaches it across a relation."""
    return Q(**{f"{prefix}status": PUBLISHED})


class Exam(models.Model):
    """A certification exam's blueprint: everything here is data an instructor can change."""

    code = models.SlugField(max_length=20, unique=True, help_text="For example MLS-C01.")
    title = models.CharField(max_length=200)
    question_count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    accommodation_minutes = models.PositiveSmallIntegerField(
        default=30, help_text="Extra time a candidate may ask for (the ESL accommodation)."
    )
    pass_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.720"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.99"))],
        help_text="The pass mark as a share of questions right; it maps to the scaled pass mark.",
    )
    scaled_min = models.PositiveSmallIntegerField(default=100)
    scaled_pass = models.PositiveSmallIntegerField(default=750)
    scaled_max = models.PositiveSmallIntegerField(default=1000)
    is_active = models.BooleanField(
        default=True, help_text="Only active exams are offered to candidates."
    )
    notes = models.TextField(blank=True, help_text="Shown on the exam page (Markdown).")
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="When AWS retired the real exam; its pages say so (the mocks stay open).",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scaled_min__lt=models.F("scaled_pass"))
                & Q(scaled_pass__lt=models.F("scaled_max")),
                name="exam_scaled_scores_ordered",
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    @property
    def seconds_per_question(self) -> float:
        """The exam's pace from its blueprint: its duration over its questions."""
        return self.duration_minutes * 60 / self.question_count


class Domain(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    weight_percent = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of the exam's scored content; an exam's weights sum to 100.",
    )

    class Meta:
        ordering = ["exam__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "number"], name="domain_number_unique_in_exam")
        ]

    def __str__(self):
        return f"{self.exam.code} · {self.number} {self.title}"


class TaskStatement(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="task_statements")
    code = models.CharField(max_length=10, help_text="For example 3.2.")
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["domain__exam__code", "domain__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="task_code_unique_in_domain")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class Service(models.Model):
    """An AWS service a question is tagged with."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A syllabus topic (such as D1-kds) that the bank must cover with at least two questions."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="topics")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["exam__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="topic_code_unique_in_exam")
        ]

    def __str__(self):
        return self.code


class CaseStudy(models.Model):
    """A scenario shared by several questions, shown above each; every question scores alone."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="case_studies")
    key = models.CharField(
        max_length=60,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_.-]{1,60}$", "Use 1-60 letters, digits, '.', '-' or '_'.")
        ],
        help_text="Stable identifier used by import and export; unique within the exam.",
    )
    title = models.CharField(max_length=200)
    scenario = models.TextField(help_text="The shared scenario, in Markdown.")

    class Meta:
        ordering = ["exam__code", "key"]
        verbose_name_plural = "case studies"
        constraints = [
            models.UniqueConstraint(fields=["exam", "key"], name="case_study_key_unique_in_exam")
        ]

    def __str__(self):
        return f"{self.key}: {self.title}"


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def for_exam(self, exam):
        return self.filter(exam=exam)

    def for_domain(self, domain):
        return self.filter(domain=domain)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Multiple choice (one answer)"
        MULTIPLE = "multiple", "Multiple response (several answers)"
        ORDERING = "ordering", "Ordering (steps put in order)"
        MATCHING = "matching", "Matching (prompts matched to responses)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = PUBLISHED, "Published"
        RETIRED = "retired", "Retired"

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="questions")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="questions")
    task_statement = models.ForeignKey(
        TaskStatement,
        on_delete=models.PROTECT,
        related_name="questions",
        null=True,
        blank=True,
    )
    services = models.ManyToManyField(Service, blank=True, related_name="questions")
    topics = models.ManyToManyField(Topic, blank=True, related_name="questions")
    key = models.CharField(
        max_length=60,
        db_index=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_.-]{1,60}$", "Use 1-60 letters, digits, '.', '-' or '_'.")
        ],
        help_text="Stable identifier used by import and export; unique within the exam.",
    )
    stem = models.TextField(help_text="The scenario and the question, in Markdown.")
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.SINGLE,
        error_messages={
            "invalid_choice": "%(value)r is not 'single', 'multiple', 'ordering' or 'matching'."
        },
    )
    case_study = models.ForeignKey(
        CaseStudy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text="The shared scenario shown above this question, if any.",
    )
    responses = models.TextField(
        blank=True,
        help_text="Matching only: every response offered, one per line (each prompt's match "
        "among them; more responses than prompts is allowed).",
    )
    select_count = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How many choices the candidate must select: 1 for multiple choice "
        "(ordering and matching: the number of steps or prompts, set on save).",
    )
    explanation = models.TextField(help_text="Why the key is right, in Markdown.")
    references = models.TextField(
        blank=True,
        help_text="Documentation pages, one per line: - [Title](https://docs.aws.amazon.com/...)",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        error_messages={"invalid_choice": "%(value)r is not one of draft, published, retired."},
    )
    revision = models.PositiveIntegerField(
        default=1, help_text="Grows on every edit that changes what a candidate sees or scores."
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # What the last file import wrote: when the content or status differs from it now, an
    # instructor changed the question, and a later import keeps their work (unless --force).
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)
    imported_status = models.CharField(max_length=10, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_questions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["exam__code", "domain__number", "key"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "key"], name="question_key_unique_in_exam")
        ]
        indexes = [
            # Mock assembly and drills read the published questions of one exam domain by domain.
            # Assembly's random draw ranks every unseen question per task statement: with all
            # the columns it reads in the index, that is an index-only scan sorted by domain and
            # task already (4 ms over 10,000 questions, where reading their rows took 13 ms).
            models.Index(
                fields=["exam", "domain", "task_statement", "case_study", "id"],
                condition=published_q(),
                name="question_published_draw",
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def choose_label(self) -> str:
        if self.is_placement and self.pk:
            # Ordering and matching ask for every step or prompt: the count is the choices'.
            return choose_label(self.kind, len(self.choices.all()))
        return choose_label(self.kind, self.select_count)

    @property
    def changed_since_import(self) -> bool:
        """Edited or re-statused since a file last wrote it, or never written by one (made in
        the admin, or imported before imports were recorded): an import must keep it."""
        return (
            not self.imported_hash
            or self.content_hash != self.imported_hash
            or self.status != self.imported_status
        )

    # What makes a question valid. The admin form, the importer and the bank report all ask
    # these three methods, so a rule is written once and its message reads the same everywhere.

    def clean(self):
        """The cross-field rules of the question row itself (choices and topics are checked
        by `validate_choices` and `validate_topics`, which see rows not saved yet)."""
        errors: dict[str, list[str]] = {}
        exam_id = self.exam_id
        domain = self.domain if self.domain_id else None
        task = self.task_statement if self.task_statement_id else None
        if exam_id and domain and domain.exam_id != exam_id:
            errors.setdefault("domain", []).append(
                f"Domain {domain.number} belongs to {domain.exam.code}, not {self.exam.code}."
            )
        if domain and task and task.domain_id != domain.pk:
            errors.setdefault("task_statement", []).append(
                f"Task statement {task.code} belongs to domain {task.domain.number}, "
                f"not domain {domain.number}."
            )
        case = self.case_study if self.case_study_id else None
        if case is not None and exam_id and case.exam_id != exam_id:
            errors.setdefault("case_study", []).append(
                f"Case study {case.key} belongs to {case.exam.code}, not {self.exam.code}."
            )
        if self.kind != self.Kind.MATCHING and (self.responses or "").strip():
            errors.setdefault("responses", []).append(
                "Only a matching question has responses: clear them, or make it matching."
            )
        for problem in reference_rules.problems(self.references or ""):
            errors.setdefault("references", []).append(problem)
        if self.kind == self.Kind.SINGLE and self.select_count not in (None, 1):
            errors.setdefault("select_count", []).append(
                "A multiple-choice question selects exactly 1 answer: set 'number to select' "
                "to 1, or make it multiple response."
            )
        if (
            self.kind == self.Kind.MULTIPLE
            and self.select_count is not None
            and (self.select_count < 2)
        ):
            errors.setdefault("select_count", []).append(
                "A multiple-response question selects at least 2 answers: set 'number to "
                "select' to 2 or more, or make it multiple choice."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def response_list(self) -> list[str]:
        """A matching question's responses, in the authored order."""
        return [line.strip() for line in (self.responses or "").splitlines() if line.strip()]

    @property
    def is_placement(self) -> bool:
        return is_placement_kind(self.kind)

    def choice_problems(self, choices: list["Choice"]) -> list[str]:
        """What is wrong with these (possibly unsaved) choices for this question's kind."""
        if self.kind == self.Kind.ORDERING:
            return self._step_problems(choices)
        if self.kind == self.Kind.MATCHING:
            return self._prompt_problems(choices)
        problems = []
        correct = sum(1 for choice in choices if choice.is_correct)
        if self.kind == self.Kind.SINGLE:
            if len(choices) < MIN_SINGLE_CHOICES:
                problems.append(
                    f"A multiple-choice question needs at least {MIN_SINGLE_CHOICES} choices; "
                    f"it has {len(choices)}."
                )
            if correct != 1:
                problems.append(
                    f"A multiple-choice question needs exactly one correct choice; {correct} "
                    "are marked correct."
                )
        elif self.kind == self.Kind.MULTIPLE:
            select_count = self.select_count or 0
            if len(choices) < MIN_MULTIPLE_CHOICES:
                problems.append(
                    f"A multiple-response question needs at least {MIN_MULTIPLE_CHOICES} "
                    f"choices; it has {len(choices)}."
                )
            if correct != select_count:
                problems.append(
                    f"The stem asks for {select_count} answers, so exactly {select_count} "
                    f"choices must be marked correct; {correct} are."
                )
            if select_count >= len(choices) >= MIN_MULTIPLE_CHOICES:
                problems.append("At least one choice must be wrong.")
        if len(choices) > MAX_CHOICES:
            problems.append(f"At most {MAX_CHOICES} choices; it has {len(choices)}.")
        for position, choice in enumerate(choices, start=1):
            letter = choice_letter(position)
            if not choice.text.strip():
                problems.append(f"Choice {letter} has no text.")
            if not choice.rationale.strip():
                problems.append(
                    f"Choice {letter} has no rationale: say why it is right, or which clue in "
                    "the scenario rules it out."
                )
            problems.extend(self._role_problems(letter, choice))
            if (choice.match or "").strip():
                problems.append(
                    f"Choice {letter} has a match; only the prompts of a matching question do."
                )
        texts = [" ".join(choice.text.lower().split()) for choice in choices if choice.text.strip()]
        if len(set(texts)) != len(texts):
            problems.append("Two choices have the same text.")
        return problems

    def _step_problems(self, steps: list["Choice"]) -> list[str]:
        """Ordering: the choices are the steps, authored in the correct order."""
        problems = []
        if not MIN_STEPS <= len(steps) <= MAX_STEPS:
            problems.append(
                f"An ordering question needs {MIN_STEPS} to {MAX_STEPS} steps; it has {len(steps)}."
            )
        for number, step in enumerate(steps, start=1):
            if not step.text.strip():
                problems.append(f"Step {number} has no text.")
            if not step.rationale.strip():
                problems.append(f"Step {number} has no rationale: say why it comes at that point.")
            if step.is_correct or step.role:
                problems.append(
                    f"Step {number} is marked correct or has a role; steps take neither (their "
                    "order is the key): clear them."
                )
            if (step.match or "").strip():
                problems.append(f"Step {number} has a match; only matching prompts do.")
        problems.extend(_duplicate_text_problem(steps, "steps"))
        return problems

    def _prompt_problems(self, prompts: list["Choice"]) -> list[str]:
        """Matching: the choices are the prompts, each with the response it goes with."""
        problems = []
        responses = self.response_list
        if not MIN_PROMPTS <= len(prompts) <= MAX_PROMPTS:
            problems.append(
                f"A matching question needs {MIN_PROMPTS} to {MAX_PROMPTS} prompts; "
                f"it has {len(prompts)}."
            )
        normalized = [" ".join(r.lower().split()) for r in responses]
        if len(set(normalized)) != len(normalized):
            problems.append("Two responses have the same text; every response must be distinct.")
        if len(responses) < len(prompts):
            problems.append(
                f"A matching question needs at least as many responses as prompts: it has "
                f"{len(responses)} responses for {len(prompts)} prompts."
            )
        if len(responses) > MAX_RESPONSES:
            problems.append(f"At most {MAX_RESPONSES} responses; it has {len(responses)}.")
        for number, prompt in enumerate(prompts, start=1):
            if not prompt.text.strip():
                problems.append(f"Prompt {number} has no text.")
            if not prompt.rationale.strip():
                problems.append(
                    f"Prompt {number} has no rationale: say why it goes with its response."
                )
            match = (prompt.match or "").strip()
            if not match:
                problems.append(f"Prompt {number} has no match: name the response it goes with.")
            elif match not in responses:
                problems.append(
                    f"Prompt {number} matches {match!r}, which is not among the responses; "
                    "add it to the responses or correct the match."
                )
            if prompt.is_correct or prompt.role:
                problems.append(
                    f"Prompt {number} is marked correct or has a role; prompts take neither "
                    "(the match is the key): clear them."
                )
        problems.extend(_duplicate_text_problem(prompts, "prompts"))
        return problems

    def _role_problems(self, letter: str, choice: "Choice") -> list[str]:
        role = choice.role or ""
        if role not in ChoiceRole.values:
            return [f"Choice {letter} has role {role!r}; use 'rule_out' or 'close_call'."]
        if choice.is_correct and role:
            return [
                f"Choice {letter} is correct, so it takes no role; clear its role "
                f"{role!r} (roles say how a wrong choice is beaten)."
            ]
        # Drafts may be written before their roles; review groups the options of what is served.
        if not choice.is_correct and not role and self.status == PUBLISHED:
            return [
                f"Choice {letter} is wrong but has no role: set 'rule_out' if a fact or "
                "constraint in the scenario excludes it, or 'close_call' if it works but loses "
                "on the qualifier."
            ]
        return []

    def validate_choices(self, choices: list["Choice"]) -> None:
        problems = self.choice_problems(choices)
        if problems:
            raise ValidationError({"choices": problems})

    def validate_topics(self, topics) -> None:
        wrong = [topic.code for topic in topics if topic.exam_id != self.exam_id]
        if wrong:
            raise ValidationError(
                {"topics": [f"Topics not in {self.exam.code}: {', '.join(wrong)}."]}
            )


def _duplicate_text_problem(rows, noun: str) -> list[str]:
    texts = [" ".join(row.text.lower().split()) for row in rows if row.text.strip()]
    return [f"Two {noun} have the same text."] if len(set(texts)) != len(texts) else []


def is_placement_kind(kind: str) -> bool:
    """Ordering and matching: each choice row is placed (a position, a response), not ticked."""
    return kind in (Question.Kind.ORDERING, Question.Kind.MATCHING)


def choose_label(kind: str, select_count: int) -> str:
    """The instruction shown under a stem: "Choose TWO." for multiple response."""
    if kind == Question.Kind.SINGLE:
        return "Choose ONE."
    if kind == Question.Kind.ORDERING:
        return f"Put the {number_word(select_count)} steps in order."
    if kind == Question.Kind.MATCHING:
        return f"Match each of the {number_word(select_count)} prompts to a response."
    return f"Choose {number_word(select_count)}."


def number_word(count: int) -> str:
    words = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE", 6: "SIX", 7: "SEVEN"}
    return words.get(count, str(count))


class ChoiceRole(models.TextChoices):
    """How a wrong choice is beaten: the tactic review teaches ("rule two out, then decide")."""

    KEY = "", "None (a correct choice)"
    RULE_OUT = "rule_out", "Rule out: a fact or constraint in the scenario excludes it"
    CLOSE_CALL = "close_call", "Close call: it works but loses on the qualifier"


class Choice(models.Model):
    Role = ChoiceRole

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(help_text="Markdown.")
    is_correct = models.BooleanField(default=False)
    role = models.CharField(
        max_length=10,
        choices=ChoiceRole.choices,
        default=ChoiceRole.KEY,
        blank=True,
        help_text="For a wrong choice: ruled out by the scenario, or a close call.",
    )
    rationale = models.TextField(
        help_text="Why it is right, or the clue in the scenario that rules it out; for a step, "
        "why it comes at that point; for a prompt, why it goes with its match (Markdown).",
    )
    # Matching only: the response this prompt goes with (one of the question's responses).
    # An ordering question's steps are its choices in `order`: the authored order is the key.
    match = models.CharField(max_length=500, blank=True, help_text="Matching prompts only.")

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self):
        return f"{self.question.key} · {self.order}"
