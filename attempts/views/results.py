"""Results and the review of answers (finished attempts, and checked drill answers): rule-out
reasons, problem reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from attempts import selectors
from attempts.forms import NoteForm, ReportForm
from attempts.http import attempt_finished, candidate_required, open_attempt
from attempts.services.notes import question_note_save
from attempts.services.reports import question_report_create


def _revealed_item(request, pk, position):
    """The attempt and one of its questions, only once its answer may be shown."""
    attempt = open_attempt(request, pk)
    item = selectors.item_for_display(attempt, position)
    if attempt.is_in_progress and item.checked_at is None:
        raise Http404("Answers are shown once the attempt is finished.")
    return attempt, item


@require_GET
@candidate_required
@attempt_finished
def results(request, attempt):
    unanswered = selectors.unanswered_count(attempt)
    context = {
        "attempt": attempt,
        "domains": selectors.domain_results(attempt),
        "unanswered": unanswered,
        "pace": attempt.seconds_per_answered_question(attempt.question_count - unanswered),
        "pass_percent": round(100 * attempt.pass_share),
        "history": selectors.exam_history(request.user, attempt.exam)[:10],
    }
    return render(request, "attempts/attempt_results.html", context)


@require_GET
@candidate_required
@attempt_finished
def answers(request, attempt):
    review_filter = selectors.ReviewFilter.from_query(request.GET)
    context = {
        "attempt": attempt,
        "rows": selectors.review_rows(attempt, review_filter),
        "filter": review_filter,
        "elimination": selectors.elimination_summary(attempt),
        **selectors.review_filter_options(attempt),
    }
    return render(request, "attempts/attempt_answers.html", context)


@require_GET
@candidate_required
def answer_detail(request, pk, position):
    attempt, item = _revealed_item(request, pk, position)
    review_filter = selectors.ReviewFilter.from_query(request.GET)
    if attempt.is_in_progress:
        positions = [position]  # a drill's checked answer: no list to move through yet
    else:
        positions = [row.position for row in selectors.review_rows(attempt, review_filter)]
    index = positions.index(position) if position in positions else None
    cells = [] if attempt.is_in_progress else selectors.palette(attempt)
    context = {
        "attempt": attempt,
        "item": item,
        "choices": list(item.choices.all()),
        "filter": review_filter,
        "show_all": request.GET.get("reasons") == "all",
        "why": _int_or_none(request.GET.get("why")),
        "previous": positions[index - 1] if index else None,
        "next": positions[index + 1] if index is not None and index + 1 < len(positions) else None,
        "report_form": ReportForm(),
        "next_flagged": selectors.next_in_walk(cells, "flagged", position),
        "next_incomplete": selectors.next_in_walk(cells, "incomplete", position),
    }
    if request.htmx and context["show_all"]:
        return render(request, "attempts/answer_review.html#choices-review", context)
    return render(request, "attempts/answer_review.html", context)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
@candidate_required
def why_not(request, pk, position, choice):
    """The rule-out reason of one choice, loaded on demand."""
    attempt, item = _revealed_item(request, pk, position)
    option = get_object_or_404(item.choices, position=choice)
    if not request.htmx:
        url = reverse("attempts:answer_detail", args=[attempt.pk, position])
        return redirect(f"{url}?why={choice}#choice-{choice}")
    return render(
        request,
        "attempts/answer_review.html#why-slot",
        {"attempt": attempt, "item": item, "choice": option, "expanded": True},
    )


@require_POST
@candidate_required
def report_problem(request, pk, position):
    attempt, item = _revealed_item(request, pk, position)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            question_report_create(
                item=item, reporter=request.user, kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )  # fmt: skip
            form = None
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"attempt": attempt, "item": item, "report_form": form, "reported": form is None}
    if request.htmx:
        return render(request, "attempts/answer_review.html#report-panel", context)
    if form is None:
        messages.success(request, "Thank you: an instructor will look at this question.")
    elif form.non_field_errors():
        messages.error(request, " ".join(form.non_field_errors()))
    else:
        messages.error(request, "Say what is wrong and add a few words of detail.")
    return redirect("attempts:answer_detail", pk=attempt.pk, position=position)


@require_POST
@candidate_required
def question_note(request, pk, position):
    """Bookmark a question or keep a note on it, from its review or a drill's feedback."""
    attempt, item = _revealed_item(request, pk, position)
    form = NoteForm(request.POST, auto_id=f"note-{position}-%s")
    if item.question_id is not None and form.is_valid():
        question_note_save(
            user=request.user, question_id=item.question_id,
            bookmarked=form.cleaned_data["bookmarked"], text=form.cleaned_data["text"],
        )  # fmt: skip
        saved = True
    else:
        saved = False
    if request.htmx:
        context = {"attempt": attempt, "item": item, "note_saved": saved}
        return render(request, "attempts/answer_review.html#note-panel", context)
    if saved:
        messages.success(request, "Your bookmark and note are saved.")
    return redirect("attempts:answer_detail", pk=attempt.pk, position=position)
