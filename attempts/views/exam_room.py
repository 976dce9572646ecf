"""The exam room: starting a mock, one question per screen, saves, its review screen, ending."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url, reswap, retarget

from attempts import selectors
from attempts.assembly import BankTooSmall, domain_shares
from attempts.forms import AnswerForm, ReportForm, StartMockForm
from attempts.http import (
    TIME_OVER,
    attempt_in_progress,
    candidate_required,
    ended_response,
    full_page_wanted,
    open_attempt,
    question_url,
)
from attempts.models import Attempt, AttemptQuestion
from attempts.services.deadline import NotTimed, finish_automatically, finish_by_candidate
from attempts.services.saving import Go, Outcome, SaveResult, answer_submit
from attempts.services.starting import attempt_start_mock
from attempts.services.visits import attempt_move
from questions.models import Exam

ROOM = "attempts/attempt_question.html"


@require_GET
@candidate_required
def exam_detail(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    domains = list(exam.domains.order_by("number"))
    shares = domain_shares(exam, domains) if domains else {}
    history = selectors.exam_history(request.user, exam)
    in_progress = next((a for a in history if a.is_in_progress), None)
    if in_progress is not None:
        in_progress = open_attempt(request, in_progress.pk)
        if not in_progress.is_in_progress:
            return redirect("attempts:exam", code=code)
    context = {
        "exam": exam,
        "domains": [(domain, shares.get(domain.pk, 0)) for domain in domains],
        "history": [a for a in history if not a.is_in_progress],
        "in_progress": in_progress,
        "start_form": StartMockForm(),
        "quick_mocks": selectors.quick_mock_history(request.user, exam),
    }
    return render(request, "attempts/exam_detail.html", context)


@require_POST
@candidate_required
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


def room_context(attempt, item, now, *, cells=None, **extra):
    """What the room's templates need; `cells` None means the whole palette."""
    if attempt.mode == Attempt.Mode.DRILL and item.checked_at is not None:
        extra.setdefault("report_form", ReportForm())
    return {
        "attempt": attempt,
        "item": item,
        "choices": item.choices.all(),  # lazy: a save response does not render the choices
        "palette": selectors.palette(attempt) if cells is None else cells,
        "remaining": attempt.remaining_seconds(now),
        **extra,
    }


@require_GET
@never_cache  # Back and Forward must ask the server, never show a stored copy (invariant 3)
@vary_on_headers("HX-Request")
@candidate_required
@attempt_in_progress
def question(request, attempt, position):
    item = selectors.item_for_display(attempt, position)
    left = attempt.current_position
    now = timezone.now()
    attempt_move(attempt=attempt, position=position, now=now)
    walking = request.GET.get("walk", "") in selectors.WALKS
    if full_page_wanted(request) or walking:
        cells = selectors.palette(attempt)
        walk = selectors.walk_step(cells, request.GET.get("walk", ""), position)
    else:
        cells, walk = selectors.palette(attempt, positions={left, position}), None
    if full_page_wanted(request):
        return render(request, ROOM, room_context(attempt, item, now, cells=cells, walk=walk))
    # A partial redraws only the cells it changes: the one left and the one shown.
    cells = [cell for cell in cells if cell.position in (left, position)]
    context = room_context(attempt, item, now, cells=cells, walk=walk)
    return render(request, f"{ROOM}#navigation-response", context)


@require_POST
@never_cache
@candidate_required
def answer(request, pk, position):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _unreadable(request, pk, position)
    try:
        result = answer_submit(
            user=request.user,
            attempt_id=pk,
            position=position,
            submission=form.submission(),
            now=timezone.now(),
        )
    except (Attempt.DoesNotExist, AttemptQuestion.DoesNotExist) as exc:
        raise Http404("No such question in your attempts.") from exc
    return _after_save(request, result, form.cleaned_data["go"], form.cleaned_data["walk"])


def _after_save(request, result: SaveResult, go: Go, walk: str):
    """Render from what the save returned: every cell and panel comes from rows in hand."""
    attempt, item, now = result.attempt, result.item, timezone.now()
    if result.outcome == Outcome.ENDED:
        return ended_response(request, attempt, saving=True)
    if result.outcome in (Outcome.CONFLICT, Outcome.REFUSED):
        # Nothing was written: show what the server holds, with the reason.
        if not request.htmx:
            messages.error(request, result.message)
            return redirect(_walk_url(attempt, item.position, walk))
        # The item was read under the attempt's lock and nothing was written: it is what is
        # stored. A walk keeps its Previous and Next.
        step = selectors.walk_step(selectors.palette(attempt), walk, item.position)
        context = room_context(
            attempt,
            item,
            now,
            cells=[selectors.PaletteCell.of(item)],
            save_error=result.message,
            walk=step,
        )
        status = 409 if result.outcome == Outcome.CONFLICT else 422
        response = render(request, f"{ROOM}#navigation-response", context, status=status)
        return reswap(retarget(response, "#question-panel"), "outerHTML")
    if go in (Go.REVIEW, Go.FINISH) or result.walk_done:
        url = reverse(f"attempts:{'finish' if go == Go.FINISH else 'review'}", args=[attempt.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    shown = result.show or item.position
    if not request.htmx:
        return redirect(_walk_url(attempt, shown, walk if result.walk else ""))
    saved_cell = selectors.PaletteCell.of(item)
    if result.show is None:
        context = room_context(attempt, item, now, cells=[saved_cell], saved=True)
        return render(request, f"{ROOM}#save-response", context)
    target = result.target or item
    cells = (
        [saved_cell]
        if target.position == item.position
        else [saved_cell, selectors.PaletteCell.of(target)]
    )
    context = room_context(attempt, target, now, cells=cells, walk=result.walk)
    response = render(request, f"{ROOM}#navigation-response", context)
    response = reswap(retarget(response, "#question-panel"), "outerHTML show:window:top")
    return push_url(response, _walk_url(attempt, shown, walk if result.walk else ""))


def _walk_url(attempt, position: int, walk: str) -> str:
    """The question's address, keeping the walk the candidate is on (Back and reload too)."""
    url = question_url(attempt, position)
    return f"{url}?{urlencode({'walk': walk})}" if walk in selectors.WALKS else url


def _unreadable(request, pk, position):
    selectors.attempt_for_user(request.user, pk)  # another candidate's attempt stays a 404
    message = "That answer could not be read; reload the page and try again."
    if request.htmx:
        return render(request, f"{ROOM}#save-status", {"save_error": message}, status=400)
    messages.error(request, message)
    return redirect("attempts:question", pk=pk, position=position)


@require_GET
@never_cache
@candidate_required
@attempt_in_progress
def clock(request, attempt):
    """The timer alone, for the room's resynchronisation with the server's clock."""
    context = {"attempt": attempt, "remaining": attempt.remaining_seconds(timezone.now())}
    return render(request, f"{ROOM}#timer", context)


@require_GET
@never_cache
@candidate_required
@attempt_in_progress
def review(request, attempt):
    cells = selectors.review_screen_cells(attempt)
    show = request.GET.get("show", "all")
    context = {
        **_progress(attempt, cells, timezone.now()),
        "cells": [c for c in cells if _matches(c, show)],
        "show": show,
        "answered": sum(c.answered for c in cells),
        "walks": {w: selectors.walk_positions(cells, w)[:1] for w in selectors.WALKS},
    }
    return render(request, "attempts/attempt_review.html", context)


def _matches(cell, show):
    return {
        "unanswered": cell.state == "unanswered",
        "incomplete": cell.incomplete,
        "flagged": cell.flagged,
    }.get(show, True)


def _progress(attempt, cells, now) -> dict:
    """What the review screen and the end-exam confirmation both list."""
    return {
        "attempt": attempt,
        "unanswered": [c.position for c in cells if c.state == "unanswered"],
        "incomplete": [c.position for c in cells if c.incomplete],
        "flagged": [c.position for c in cells if c.flagged],
        "remaining": attempt.remaining_seconds(now),
    }


@require_http_methods(["GET", "POST"])
@never_cache
@candidate_required
@attempt_in_progress
def finish(request, attempt):
    now = timezone.now()
    if request.method == "GET":
        return render(
            request,
            "attempts/attempt_finish.html",
            _progress(attempt, selectors.palette(attempt), now),
        )
    if request.POST.get("auto"):
        try:
            ended = finish_automatically(attempt=attempt, now=now)
        except NotTimed as exc:
            messages.error(request, str(exc))
            return redirect(question_url(attempt, attempt.current_position))
        if ended is None:  # the browser's clock ran fast: there is still time
            return redirect(question_url(attempt, attempt.current_position))
        messages.warning(request, TIME_OVER)
    else:
        ended = finish_by_candidate(attempt=attempt, now=now)
        if ended.finish_reason == Attempt.FinishReason.EXPIRED:
            messages.warning(request, TIME_OVER)
    return redirect("attempts:results", pk=ended.pk)
