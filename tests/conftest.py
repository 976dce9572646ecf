import pytest
from django.conf import settings as django_settings

from questions.models import Exam
from tests.factories import DomainFactory, ExamFactory, QuestionFactory, UserFactory

# The suite runs with production settings whatever DJANGO_DEBUG says (pytest-django turns DEBUG
# off anyway); only what a test machine lacks is filled in: a key, plain HTTP, static files
# served from the finders without a collectstatic manifest.
django_settings.SECRET_KEY = "tests-only-key-" + "t" * 40
django_settings.SECURE_SSL_REDIRECT = False
django_settings.WHITENOISE_USE_FINDERS = True  # the browser tests' live server
django_settings.STORAGES = {
    **django_settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def candidate(db):
    return UserFactory(username="cand")


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate)
    return client


@pytest.fixture
def instructor(db):
    return UserFactory(username="teacher", instructor=True)


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def small_exam(db) -> Exam:
    """A 10-question exam over four domains (20/30/30/20) with enough questions for two mocks.

    Domain 1 has three multiple-response questions of four and a mock takes two of them, so
    every mock holds at least one multiple-response and several multiple-choice questions.
    """
    exam = ExamFactory(code="SMALL-01", question_count=10, duration_minutes=30)
    for number, weight in enumerate([20, 30, 30, 20], start=1):
        domain = DomainFactory(exam=exam, number=number, weight_percent=weight)
        for index in range(weight // 5):
            QuestionFactory(
                domain=domain,
                key=f"d{number}-{index:02d}",
                kind="multiple" if (number == 1 and index > 0) or index % 3 == 2 else "single",
            )
    return exam


@pytest.fixture
def mls_blueprint(db):
    """The shipped fixtures: services and the MLS-C01 and MLA-C01 blueprints."""
    from django.conf import settings

    from questions.loading import fixtures_load

    fixtures_load(settings.BASE_DIR / "fixtures")
    return Exam.objects.get(code="MLS-C01")


@pytest.fixture
def mls_bank(mls_blueprint):
    """MLS-C01 with a factory bank a little larger than one mock in every domain.

    Questions are spread over the domain's task statements; every fifth is multiple response.
    """
    from questions.models import TaskStatement

    extra = {1: 3, 2: 3, 3: 4, 4: 3}
    needed = {1: 13, 2: 16, 3: 23, 4: 13}
    for domain in mls_blueprint.domains.all():
        tasks = list(TaskStatement.objects.filter(domain=domain).order_by("code"))
        for index in range(needed[domain.number] + extra[domain.number]):
            QuestionFactory(
                domain=domain,
                task_statement=tasks[index % len(tasks)],
                key=f"mls-{domain.number}-{index:02d}",
                kind="multiple" if index % 5 == 4 else "single",
            )
    return mls_blueprint
