"""Drills: one domain, task statement or service, or the weak spots, with feedback per answer."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from attempts import selectors
from attempts.drills import DrillScope
from attempts.forms import DrillForm
from attempts.http import candidate_required, question_url
from attempts.services.starting import DrillEmpty, attempt_start_drill
from questions.models import Exam, Service, TaskStatement, published_q


def _drill_form(exam, data=None):
    return DrillForm(
        data,
        domains=list(exam.domains.order_by("number")),
        tasks=list(TaskStatement.objects.filter(domain__exam=exam).order_by("code")),
        services=list(
            Service.objects.filter(published_q("questions__"), questions__exam=exam)
            .distinct()
            .order_by("name")
        ),
    )


@require_GET
@candidate_required
def drills_home(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    context = {
        "exam": exam,
        "form": _drill_form(exam),
        **selectors.drill_overview(request.user, exam, timezone.now()),
    }
    return render(request, "attempts/drills.html", context)


@require_POST
@candidate_required
def drill_start(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    form = _drill_form(exam, request.POST)
    if not form.is_valid():
        context = {
            "exam": exam,
            "form": form,
            **selectors.drill_overview(request.user, exam, timezone.now()),
        }
        return render(request, "attempts/drills.html", context, status=422)
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
    return DrillScope("weak", "Weak spots and missed questions")
