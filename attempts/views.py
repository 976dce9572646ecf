from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from attempts import selectors
from attempts.assembly import BankTooSmall, domain_shares
from attempts.forms import AnswerForm, ReportForm, StartMockForm
from attempts.models import Attempt
from attempts.services import (
    answer_check,
    answer_save,
    attempt_finalize_if_expired,
    attempt_finish,
    attempt_move,
    attempt_start_mock,
)
from questions.models import Exam

TIME_OVER = "Time is over. Your answers saved before the deadline were kept and scored."


@require_GET
@login_required
def exam_detail(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    domains = list(exam.domains.order_by("number"))
    shares = domain_shares(exam, domains) if domains else {}
    history = selectors.exam_history(request.user, exam)
    now = timezone.now()
    in_progress = next((a for a in history if a.is_in_progress), None)
    if in_progress is not None:
        in_progress = attempt_finalize_if_expired(attempt=in_progress, now=now)
        if not in_progress.is_in_progress:
            return redirect("attempts:exam", code=code)
    context = {
        "exam": exam,
        "domains": [(domain, shares.get(domain.pk, 0)) for domain in domains],
        "history": [a for a in history if not a.is_in_progress],
        "in_progress": in_progress,
        "start_form": StartMockForm(),
    }
    return render(request, "attempts/exam_detail.html", context)


@require_POST
@login_required
def exam_start(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    form = StartMockForm(request.POST)
    form.is_valid()
    try:
        attempt, resumed = attempt_start_mock(
            user=request.user,
            exam=exam,
            now=timezone.now(),
            accommodation_requested=form.cleaned_data.get("accommodation", False),
        )
    except BankTooSmall as exc:
        messages.error(request, str(exc))
        return redirect("attempts:exam", code=code)
    if resumed:
        messages.info(request, "You have a mock in progress: it continues where you left off.")
    return redirect(question_url(attempt, attempt.current_position))


def question_url(attempt: Attempt, position: int) -> str:
    return reverse("attempts:question", args=[attempt.pk, position])


def open_attempt(request, pk):
    """The candidate's attempt, finalized first if its time ran out."""
    attempt = selectors.attempt_for_user(request.user, pk)
    return attempt_finalize_if_expired(attempt=attempt, now=timezone.now())


def _time_over(request, attempt):
    messages.warning(request, TIME_OVER)
    url = reverse("attempts:results", args=[attempt.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_GET
@login_required
def question(request, pk, position):
    attempt = open_attempt(request, pk)
    if not attempt.is_in_progress:
        return redirect("attempts:results", pk=attempt.pk)
    item = selectors.item_for_display(attempt, position)
    now = timezone.now()
    attempt_move(attempt=attempt, position=position, now=now)
    context = _room_context(attempt, item, now)
    if request.htmx:
        return render(request, "attempts/attempt_question.html#navigation-response", context)
    return render(request, "attempts/attempt_question.html", context)


def _room_context(attempt, item, now, **extra):
    if attempt.mode == Attempt.Mode.DRILL and item.checked_at is not None:
        extra.setdefault("report_form", ReportForm())
    return {
        "attempt": attempt,
        "item": item,
        # Lazy: the save response does not render the choices, so it does not load them.
        "choices": item.choices.all(),
        "palette": selectors.palette(attempt),
        "remaining": attempt.remaining_seconds(now),
        **extra,
    }


@require_POST
@login_required
def answer(request, pk, position):
    attempt = selectors.attempt_for_user(request.user, pk)
    if not attempt.is_in_progress:
        return _time_over(request, attempt) if _expired(attempt) else _already_ended(attempt)
    item = selectors.item_for_display(attempt, position)
    form = AnswerForm(request.POST, choice_count=len(item.choices.all()))
    now = timezone.now()
    if not form.is_valid():
        return _save_refused(request, attempt, item, now, "That answer could not be read.")
    data = form.cleaned_data
    go = data["go"]
    if request.htmx and request.htmx.trigger == "answer-form":
        # A save triggered by the form itself (a change) never navigates, whatever button
        # htmx remembers as last clicked in that form.
        go = "stay"
    checking = go == "check" and attempt.mode == Attempt.Mode.DRILL
    if checking and item.checked_at is not None:
        # A repeated "Check answer" (double click, retry) shows the same feedback again.
        return _check_and_show(request, attempt, position, now)
    try:
        result = answer_save(
            attempt=attempt,
            position=position,
            selected=set(data["choice"]),
            struck=set(data["struck"]),
            flagged=data["flagged"],
            seq=data["seq"],
            now=now,
        )
    except ValidationError as exc:
        return _save_refused(request, attempt, item, now, " ".join(exc.messages))
    if result.outcome == "late":
        return _time_over(request, result.attempt)
    if checking:
        return _check_and_show(request, attempt, position, now)
    return _after_save(request, result.attempt, result.item, go, now)


def _check_and_show(request, attempt, position, now):
    """Drills: make the answer final, then show the question with its feedback."""
    checked = answer_check(attempt=attempt, position=position, now=now)
    if checked.outcome == "late":
        return _time_over(request, checked.attempt)
    if not request.htmx:
        return redirect(question_url(attempt, position))
    context = _room_context(attempt, selectors.item_for_display(attempt, position), now)
    return render(request, "attempts/attempt_question.html#navigation-response", context)


def _expired(attempt):
    return attempt.finish_reason == Attempt.FinishReason.EXPIRED


def _already_ended(attempt):
    return redirect("attempts:results", pk=attempt.pk)


def _save_refused(request, attempt, item, now, message):
    if request.htmx:
        context = _room_context(attempt, item, now, save_error=message)
        response = render(request, "attempts/attempt_question.html#save-status", context)
        response.status_code = 422
        return response
    messages.error(request, message)
    return redirect(question_url(attempt, item.position))


def _after_save(request, attempt, item, go, now):
    target = {
        "next": min(item.position + 1, attempt.question_count),
        "prev": max(item.position - 1, 1),
    }.get(go)
    if go == "review":
        url = reverse("attempts:review", args=[attempt.pk])
    elif go == "finish":
        url = reverse("attempts:finish", args=[attempt.pk])
    elif target is not None and target != item.position:
        url = question_url(attempt, target)
    else:
        url = None
    if not request.htmx:
        return redirect(url or question_url(attempt, item.position))
    if url and target is None:
        return HttpResponseClientRedirect(url)
    if url:
        next_item = selectors.item_for_display(attempt, target)
        attempt_move(attempt=attempt, position=target, now=now)
        context = _room_context(attempt, next_item, now)
        response = render(request, "attempts/attempt_question.html#navigation-response", context)
        return push_url(response, url)
    context = _room_context(attempt, item, now, saved=True)
    return render(request, "attempts/attempt_question.html#save-response", context)


@require_GET
@login_required
def clock(request, pk):
    """The timer alone, for the room's periodic resynchronisation with the server."""
    attempt = open_attempt(request, pk)
    if not attempt.is_in_progress:
        return _time_over(request, attempt)
    context = {"attempt": attempt, "remaining": attempt.remaining_seconds(timezone.now())}
    return render(request, "attempts/attempt_question.html#timer", context)


@require_GET
@login_required
def review(request, pk):
    attempt = open_attempt(request, pk)
    if not attempt.is_in_progress:
        return redirect("attempts:results", pk=attempt.pk)
    cells = selectors.palette(attempt)
    show = request.GET.get("show", "all")
    context = {
        **_progress(attempt, cells, timezone.now()),
        "cells": [c for c in cells if _matches(c, show)],
        "show": show,
        "answered": sum(c.answered for c in cells),
    }
    return render(request, "attempts/attempt_review.html", context)


def _matches(cell, show):
    return {"unanswered": not cell.answered, "flagged": cell.flagged}.get(show, True)


def _progress(attempt, cells, now) -> dict:
    """What the review screen and the end-exam confirmation both list."""
    return {
        "attempt": attempt,
        "unanswered": [c.position for c in cells if not c.answered],
        "flagged": [c.position for c in cells if c.flagged],
        "remaining": attempt.remaining_seconds(now),
    }


@require_http_methods(["GET", "POST"])
@login_required
def finish(request, pk):
    attempt = open_attempt(request, pk)
    if not attempt.is_in_progress:
        return redirect("attempts:results", pk=attempt.pk)
    now = timezone.now()
    if request.method == "POST":
        # The browser's countdown submits at zero; a clock running slightly fast must not end
        # the exam early, so an automatic submission before the server deadline is sent back.
        automatic = bool(request.POST.get("auto"))
        if automatic and (attempt.remaining_seconds(now) or 0) > 2:
            return redirect(question_url(attempt, attempt.current_position))
        if automatic:
            # Time is up by the server's clock (within the browser's rounding): the attempt
            # ends at its deadline, as if the sweep had found it.
            attempt = attempt_finish(
                attempt=attempt,
                now=max(now, attempt.deadline or now),
                reason=Attempt.FinishReason.EXPIRED,
            )
        else:
            attempt = attempt_finish(
                attempt=attempt, now=now, reason=Attempt.FinishReason.SUBMITTED
            )
        if attempt.finish_reason == Attempt.FinishReason.EXPIRED:
            messages.warning(request, TIME_OVER)
        return redirect("attempts:results", pk=attempt.pk)
    context = _progress(attempt, selectors.palette(attempt), now)
    return render(request, "attempts/attempt_finish.html", context)


@require_GET
@login_required
def results(request, pk):
    attempt = open_attempt(request, pk)
    if attempt.is_in_progress:
        return redirect(question_url(attempt, attempt.current_position))
    context = {
        "attempt": attempt,
        "domains": selectors.domain_results(attempt),
        "unanswered": selectors.unanswered_count(attempt),
        "pass_percent": round(100 * attempt.pass_share),
        "history": selectors.exam_history(request.user, attempt.exam)[:10],
    }
    return render(request, "attempts/attempt_results.html", context)
