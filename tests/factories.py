import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from questions.models import Choice, Domain, Exam, Question, Service, TaskStatement, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def instructor(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted:
            self.is_staff = True
        self.save()
        if extracted:
            self.groups.add(Group.objects.get(name="Instructors"))


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exam

    code = factory.Sequence(lambda n: f"EX-{n:02d}")
    title = factory.LazyAttribute(lambda o: f"Exam {o.code}")
    question_count = 10
    duration_minutes = 30


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    exam = factory.SubFactory(ExamFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Domain {o.number}")
    weight_percent = 25


class TaskStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskStatement

    domain = factory.SubFactory(DomainFactory)
    code = factory.Sequence(lambda n: f"9.{n}")
    text = "Do a task"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Amazon Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    exam = factory.SubFactory(ExamFactory)
    code = factory.Sequence(lambda n: f"T-{n}")
    title = "A topic"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A valid published question; multiple response when kind="multiple" is passed."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    exam = factory.LazyAttribute(lambda o: o.domain.exam)
    domain = factory.SubFactory(DomainFactory)
    key = factory.Sequence(lambda n: f"q-{n:04d}")
    stem = factory.Sequence(lambda n: f"Scenario {n}: a team needs a solution. Which one fits?")
    kind = Question.Kind.SINGLE
    select_count = factory.LazyAttribute(lambda o: 1 if o.kind == Question.Kind.SINGLE else 2)
    explanation = factory.Sequence(
        lambda n: f"Explanation {n}: the first option is right because of the deciding constraint."
    )
    status = Question.Status.PUBLISHED

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        """Items are (text, correct) or (text, correct, role); by default the last wrong choice
        is the close call and the others are ruled out, as in the shipped bank."""
        if not create:
            return
        if extracted is None:
            count = 4 if self.kind == Question.Kind.SINGLE else 5
            extracted = [
                (f"Option {letter} for {self.key}", index < self.select_count)
                for index, letter in enumerate("ABCDEF"[:count])
            ]
        last_wrong = max((i for i, item in enumerate(extracted) if not item[1]), default=None)
        Choice.objects.bulk_create(
            Choice(
                question=self,
                order=index,
                text=item[0],
                is_correct=item[1],
                role=item[2] if len(item) > 2 else _default_role(item[1], index == last_wrong),
                rationale=f"Rationale for {item[0]}: {'right' if item[1] else 'ruled out'}.",
            )
            for index, item in enumerate(extracted)
        )


def _default_role(correct: bool, is_last_wrong: bool) -> str:
    if correct:
        return Choice.Role.KEY
    return Choice.Role.CLOSE_CALL if is_last_wrong else Choice.Role.RULE_OUT
