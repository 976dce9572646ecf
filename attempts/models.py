from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from attempts.repetition import LAST_BOX
from questions.models import (
    Choice,
    ChoiceRole,
    Domain,
    Exam,
    Question,
    Service,
    TaskStatement,
    choice_letter,
    choose_label,
    is_placement_kind,
)


class Accommodation(models.Model):
    """Extra time an instructor grants a candidate for every mock (the ESL accommodation)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accommodation"
    )
    extra_minutes = models.PositiveSmallIntegerField(default=30)
    note = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} +{self.extra_minutes} min"


class AttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def finished(self):
        return self.filter(status=Attempt.Status.FINISHED)

    def mocks(self):
        return self.filter(mode=Attempt.Mode.MOCK)

    def quick_mocks(self):
        return self.filter(mode=Attempt.Mode.QUICK)

    def keys_hidden(self):
        """Mocks and quick mocks: attempts whose keys stay secret until they end (invariant 1)."""
        return self.filter(mode__in=Attempt.SCORED_LIKE_MOCK)


class Attempt(models.Model):
    """One sitting: a timed mock exam or a drill. It keeps a copy of every question it served."""

    class Mode(models.TextChoices):
        MOCK = "mock", "Mock exam"
        DRILL = "drill", "Drill"
        # A short mock at the exam's pace: scored and reviewed like a mock, counted apart from
        # full mocks in history and analytics (its score says less about exam readiness).
        QUICK = "quick", "Quick mock"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    class FinishReason(models.TextChoices):
        SUBMITTED = "submitted", "Ended by the candidate"
        EXPIRED = "expired", "Time ran out"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.MOCK)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # The whole time allowed, accommodation included, in seconds: a timed drill or a quick mock
    # runs for a share of the exam's duration that whole minutes cannot hold. Null when untimed
    # (and on attempts older than this field, whose budget comes from duration_minutes).
    allowed_seconds = models.PositiveIntegerField(null=True, blank=True)
    accommodation_minutes = models.PositiveSmallIntegerField(default=0)
    # Stored, not derived, so the deadline a candidate was given never moves when the exam's
    # duration is edited later. Null for an untimed drill.
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(max_length=10, choices=FinishReason.choices, blank=True)
    current_position = models.PositiveSmallIntegerField(default=1)
    # When the candidate arrived at the current question: the time spent on each question is
    # added up from these visits (attempts/services/saving.py), for pace and analytics.
    current_since = models.DateTimeField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(default=0)
    # Scoring rules copied from the exam at start (invariant 4: later edits change nothing).
    pass_share = models.DecimalField(max_digits=4, decimal_places=3)
    scaled_min = models.PositiveSmallIntegerField()
    scaled_pass = models.PositiveSmallIntegerField()
    scaled_max = models.PositiveSmallIntegerField()
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    scaled_score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    # What a drill draws from (a domain, task statement or service, or the weak spots); empty
    # for a mock. Kept for the candidate's list of drills and for analytics.
    drill_scope = models.CharField(max_length=200, blank=True)

    objects = AttemptQuerySet.as_manager()

    # Modes scored with a scaled score and pass/fail, whose keys stay hidden until the end.
    SCORED_LIKE_MOCK = (Mode.MOCK, Mode.QUICK)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # "Starting again resumes it": at most one in-progress mock per candidate and exam.
            models.UniqueConstraint(
                fields=["user", "exam"],
                condition=Q(status="in_progress", mode="mock"),
                name="one_mock_in_progress_per_candidate_and_exam",
            ),
            # An identical unfinished drill is resumed, not started twice (a double click):
            # one in-progress drill per candidate, exam and scope, timed or not.
            models.UniqueConstraint(
                fields=["user", "exam", "drill_scope"],
                condition=Q(status="in_progress", mode="drill", deadline__isnull=True),
                name="one_untimed_drill_in_progress_per_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "exam", "drill_scope"],
                condition=Q(status="in_progress", mode="drill", deadline__isnull=False),
                name="one_timed_drill_in_progress_per_scope",
            ),
        ]
        indexes = [
            # The candidate's history on the exam page and the analytics read by user and exam.
            models.Index(fields=["user", "exam", "-started_at"], name="attempt_history"),
            # finalize_expired sweeps in-progress attempts by deadline.
            models.Index(
                fields=["deadline"], condition=Q(status="in_progress"), name="attempt_open_deadline"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_mode_display()} {self.exam.code} by {self.user} {self.started_at:%Y-%m-%d}"
        )

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_scored_like_mock(self) -> bool:
        return self.mode in self.SCORED_LIKE_MOCK

    @property
    def is_timed(self) -> bool:
        return self.deadline is not None

    def remaining_seconds(self, now) -> int | None:
        """Whole seconds until the deadline (never negative); None when untimed."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    @property
    def time_used(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def seconds_per_answered_question(self, answered: int) -> int | None:
        """Pace of a finished attempt: time used over the questions answered (None if none).

        Over answered questions, not all of them: a mock ended early after a few answers must
        not report a pace of "0 s per question".
        """
        if not self.time_used or not answered:
            return None
        return max(1, round(self.time_used.total_seconds() / answered))

    @property
    def budget_seconds_per_question(self) -> int | None:
        """The exam's pace: its allowed time spread evenly over its questions."""
        if not self.question_count:
            return None
        if self.allowed_seconds:
            return round(self.allowed_seconds / self.question_count)
        if not self.duration_minutes:
            return None
        minutes = self.duration_minutes + self.accommodation_minutes
        return round(minutes * 60 / self.question_count)


def answered_q(prefix: str = "") -> Q:
    """The one definition of an answered question: any choice selected (a multiple-response
    answer may still be incomplete); "unanswered" in results and review is its negation."""
    return Q(**{f"{prefix}selected_count__gt": 0})


class AttemptQuestionQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_q())

    def unanswered(self):
        return self.exclude(answered_q())


class AttemptQuestion(models.Model):
    """A question exactly as this attempt served it: the snapshot that is scored and reviewed."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, related_name="attempt_questions"
    )
    question_key = models.CharField(max_length=60)
    question_revision = models.PositiveIntegerField()
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    task_statement = models.ForeignKey(
        TaskStatement, on_delete=models.PROTECT, null=True, related_name="+"
    )
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    # The names as served, so renaming or deleting a domain, task statement or service later
    # never changes a finished attempt's results or review (invariant 4). Review and results
    # read these, never the related rows.
    domain_number = models.PositiveSmallIntegerField(default=0)
    domain_title = models.CharField(max_length=200, blank=True)
    task_code = models.CharField(max_length=10, blank=True)
    task_text = models.CharField(max_length=300, blank=True)
    # Space-separated with a space at each end, so one slug is found with " slug "
    # (`service_columns`).
    service_slugs = models.TextField(blank=True)
    service_names = models.JSONField(default=list, blank=True)
    stem = models.TextField()
    kind = models.CharField(max_length=10, choices=Question.Kind.choices)
    select_count = models.PositiveSmallIntegerField()
    explanation = models.TextField()
    references = models.TextField(blank=True)
    # Matching: the responses offered, shuffled for this attempt and fixed for it; a prompt's
    # answer and key are 1-based positions in this list. Empty for the other kinds.
    responses = models.JSONField(default=list, blank=True)
    # The case study the question was served under, as it read then (invariant 4).
    case_key = models.CharField(max_length=60, blank=True)
    case_title = models.CharField(max_length=200, blank=True)
    case_scenario = models.TextField(blank=True)
    flagged = models.BooleanField(default=False)
    # How many choices are selected (ordering and matching: how many steps or prompts are
    # placed; select_count is then their number): "answered" (any) and "incomplete" (fewer
    # than the question asks for) are read from it, never stored beside it (`answered_q`,
    # `answer_state`).
    selected_count = models.PositiveSmallIntegerField(default=0)
    # Issued by the server: every applied save adds one. A save must carry the version its
    # form was rendered with, so a second tab or device never overwrites an answer it has not
    # seen (invariant 3). The browser's clock plays no part.
    version = models.PositiveIntegerField(default=0)
    seconds_spent = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    # Drills only: when the candidate asked for feedback; the answer is final from then on.
    checked_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)

    objects = AttemptQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="attempt_question_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} #{self.position} {self.question_key}"

    @property
    def choose_label(self) -> str:
        return choose_label(self.kind, self.select_count)

    @property
    def answered(self) -> bool:
        return self.selected_count > 0

    @property
    def is_placement(self) -> bool:
        return is_placement_kind(self.kind)

    @property
    def is_case_study(self) -> bool:
        return bool(self.case_key)

    @property
    def shares_a_place(self) -> bool:
        """Ordering: two steps given the same place (stored; it scores as wrong)."""
        if self.kind != Question.Kind.ORDERING:
            return False
        places = [c.answer for c in self.choices.all() if c.answer is not None]
        return len(places) != len(set(places))

    @property
    def answer_state(self) -> str:
        return answer_state(self.selected_count, self.select_count)


class AttemptDomainResult(models.Model):
    """A finished attempt's questions in one domain: how many were served and how many right.

    Counted once, when the attempt is scored (services/deadline.py), since a finished attempt
    never changes: readiness reads a candidate's whole history, and 200 finished mocks are
    800 of these rows where they were 13,000 wide question rows.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="domain_results")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    served = models.PositiveSmallIntegerField()
    right = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "domain"], name="one_domain_result_per_attempt_and_domain"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} domain {self.domain_id}: {self.right}/{self.served}"


class AnswerState(models.TextChoices):
    """How far a question is answered, as the real exam's review screen shows it."""

    UNANSWERED = "unanswered", "Unanswered"
    # A multiple-response question with fewer choices ticked than it asks for.
    INCOMPLETE = "incomplete", "Incomplete"
    ANSWERED = "answered", "Answered"


def service_columns(services: list[tuple[str, str]]) -> tuple[str, list[list[str]]]:
    """`service_slugs` and `service_names` of a question's services, given as (slug, name):
    the slugs space-separated with a space at each end (one is found with " slug "), the
    names by name."""
    ordered = sorted(services, key=lambda service: service[1])
    slugs = f" {' '.join(slug for slug, _ in ordered)} " if ordered else ""
    return slugs, [[slug, name] for slug, name in ordered]


def answer_state(selected_count: int, select_count: int) -> str:
    if selected_count == 0:
        return AnswerState.UNANSWERED
    if selected_count < select_count:
        return AnswerState.INCOMPLETE
    return AnswerState.ANSWERED


class AttemptChoice(models.Model):
    """A choice as shown in this attempt, in its shuffled position, with the candidate's marks."""

    item = models.ForeignKey(AttemptQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    choice = models.ForeignKey(Choice, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    is_correct = models.BooleanField()
    # Copied like the rationale, so review groups the options as they were when answered.
    role = models.CharField(max_length=10, choices=ChoiceRole.choices, blank=True, default="")
    rationale = models.TextField()
    selected = models.BooleanField(default=False)
    struck = models.BooleanField(default=False)
    # Ordering and matching (a step or a prompt): `key` is the right place, the step's position
    # in the correct order or the number of the prompt's response in the item's `responses`;
    # `answer` is where the candidate placed it (null: not yet). Never sent while in progress.
    key = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="attempt_choice_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.item} {self.letter}"

    @property
    def letter(self) -> str:
        return choice_letter(self.position)

    @property
    def placed_right(self) -> bool:
        return self.answer is not None and self.answer == self.key

    @property
    def answer_text(self) -> str:
        """Matching: the response the candidate chose for this prompt ("" if none)."""
        return self._response(self.answer)

    @property
    def key_text(self) -> str:
        """Matching: the response this prompt goes with (review only: it is the key)."""
        return self._response(self.key)

    def _response(self, number: int | None) -> str:
        responses = self.item.responses
        return responses[number - 1] if number and 1 <= number <= len(responses) else ""


def in_rotation_q(prefix: str = "") -> Q:
    """The one definition of a card still in spaced repetition (not yet retired)."""
    return Q(**{f"{prefix}box__lte": LAST_BOX})


def due_q(now, prefix: str = "") -> Q:
    """A card in rotation whose interval has run out."""
    return in_rotation_q(prefix) & Q(**{f"{prefix}due_at__lte": now})


class ReviewCardQuerySet(models.QuerySet):
    def in_rotation(self):
        return self.filter(in_rotation_q())

    def retired(self):
        return self.exclude(in_rotation_q())

    def due(self, now):
        return self.filter(due_q(now))


class ReviewCard(models.Model):
    """Where a question stands in a candidate's spaced repetition (Leitner boxes).

    A miss puts the question in box 1, due again the next day; each right answer moves it up a
    box with a longer interval (attempts/repetition.py). From the last box it no longer comes
    back in weak-spot drills.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    box = models.PositiveSmallIntegerField(default=1)
    streak = models.PositiveSmallIntegerField(default=0)
    lapses = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    last_answered_at = models.DateTimeField()

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_card_per_question")
        ]
        indexes = [
            # Weak-spot drills read a candidate's due cards in due order.
            models.Index(fields=["user", "due_at"], name="review_card_due"),
        ]

    def __str__(self):
        return f"{self.user} {self.question_id} box {self.box}"


class QuestionReport(models.Model):
    """A candidate's report of a problem with a question, for the instructors' queue."""

    class Kind(models.TextChoices):
        WRONG_KEY = "wrong_key", "The key (correct answer) is wrong"
        UNCLEAR = "unclear", "The wording is unclear or ambiguous"
        OUTDATED = "outdated", "A service or fact is outdated"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        FIXED = "fixed", "Fixed"

    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, related_name="problem_reports"
    )
    item = models.ForeignKey(
        AttemptQuestion, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question_key = models.CharField(max_length=60)
    question_revision = models.PositiveIntegerField(
        help_text="The revision the candidate saw; compare it with the question's current one."
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    instructor_note = models.TextField(blank=True, help_text="For instructors only.")
    reply = models.TextField(
        blank=True, help_text="Shown to the candidate who filed the report, with its status."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The admin queue lists open reports first.
            models.Index(fields=["status", "-created_at"], name="report_queue"),
            # A candidate's own reports, newest first (the "Your reports" page).
            models.Index(fields=["reporter", "-created_at"], name="report_by_reporter"),
        ]

    def __str__(self):
        return f"{self.question_key} r{self.question_revision}: {self.get_kind_display()}"


class ItemAnalysis(Question):
    """The bank's questions as the item-analysis admin sees them (attempts/item_analysis.py).

    A proxy so the statistics, which read attempts, are registered from this app: questions
    never imports attempts.
    """

    class Meta:
        proxy = True
        verbose_name = "item analysis"
        verbose_name_plural = "item analysis"


class ItemStatisticsSnapshot(models.Model):
    """Item statistics of one exam computed ahead of time (`manage.py precompute_item_stats`),
    for the bank health page and its CSV when live aggregation over a long history is slow."""

    exam = models.OneToOneField(Exam, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()
    rows = models.JSONField()

    def __str__(self):
        return f"{self.exam.code} item statistics of {self.computed_at:%Y-%m-%d %H:%M}"


class QuestionNote(models.Model):
    """A candidate's bookmark and personal note on a question, kept across attempts: keyed by
    the question, not by one attempt's copy of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_notes"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    bookmarked = models.BooleanField(default=False)
    text = models.TextField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_note_per_question")
        ]
        indexes = [
            # The "my bookmarked questions" drill reads a candidate's bookmarks.
            models.Index(fields=["user"], condition=Q(bookmarked=True), name="note_bookmarks"),
        ]

    def __str__(self):
        return f"{self.user} on {self.question_id}{' (bookmarked)' if self.bookmarked else ''}"
