"""Drills: one domain, task statement or service, or the weak spots, with feedback per answer."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from attempts import selectors
from attempts.drills import DrillScope
from attempts.forms import DRILL_SCOPES, DrillForm
from attempts.http import candidate_required, question_url
from attempts.services.starting import DrillEmpty, attempt_start_drill
from attempts.templatetags.attempt_format import duration
from questions.models import Exam, Service, TaskStatement, published_q


def _drill_forms(exam, data=None) -> list[DrillForm]:
    """One form per scope; only the one the candidate submitted is bound to the POST."""
    options = {
        "domains": list(exam.domains.order_by("number")),
        "tasks": list(TaskStatement.objects.filter(domain__exam=exam).order_by("code")),
        "services": list(
            Service.objects.filter(published_q("questions__"), questions__exam=exam)
            .distinct()
            .order_by("name")
        ),
        "pace_label": duration(exam.seconds_per_question),
    }
    posted = data.get("scope") if data is not None else None
    if posted not in DRILL_SCOPES:
        posted = "weak" if data is not None else None
    return [
        DrillForm(data if scope == posted else None, scope=scope, **options)
        for scope in DRILL_SCOPES
    ]


def _page(request, exam, forms, status=200):
    context = {
        "exam": exam,
        "forms": forms,
        **selectors.drill_overview(request.user, exam, timezone.now()),
    }
    return render(request, "attempts/drills.html", context, status=status)


@require_GET
@candidate_required
def drills_home(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    return _page(request, exam, _drill_forms(exam))


@require_POST
@candidate_required
def drill_start(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    forms = _drill_forms(exam, request.POST)
    form = next(f for f in forms if f.is_bound)
    if not form.is_valid():
        return _page(request, exam, forms, status=422)
    kind, chosen, length = form.selected()
    scope = _scope(kind, chosen)
    try:
        attempt = attempt_start_drill(
            user=request.user,
            exam=exam,
            scope=scope,
            length=length,
            timed=form.cleaned_data["timed"],
            now=timezone.now(),
        )
    except DrillEmpty as exc:
        messages.info(request, str(exc))
        return redirect("attempts:drills", code=code)
    return redirect(question_url(attempt, attempt.current_position))


def _scope(kind, chosen) -> DrillScope:
    if kind == "domain":
        return DrillScope("domain", f"Domain {chosen.number}: {chosen.title}", domain=chosen)
    if kind == "task":
        return DrillScope("task", f"Task {chosen.code}: {chosen.text}", task=chosen)
    if kind == "service":
        return DrillScope("service", chosen.name, service=chosen)
    if kind == "bookmarked":
        return DrillScope("bookmarked", "My bookmarked questions")
    return DrillScope("weak", "Weak spots and missed questions")
