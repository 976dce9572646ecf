"""What every exam-room view answers the same way (used by the view modules, which never
import each other): the candidate's own attempt, and the response to an attempt that ended."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from attempts import selectors
from attempts.models import Attempt
from attempts.services.deadline import finalize_if_expired

TIME_OVER = "Time is over. Your answers saved before the deadline were kept and scored."
ENDED_ELSEWHERE = (
    "This attempt had already ended (in another tab or window); nothing more was saved. "
    "Your answers saved before it ended were kept and scored."
)
# The room's script shows this text as it is (one copy of the message, here).
SESSION_ENDED = (
    "Your session ended; log in again (in any tab). Your answers up to now are saved; "
    "this change will be saved once you have."
)


def candidate_required(view):
    """login_required that an htmx request can understand: a 401 with the message to show,
    not a redirect that would swap the login page into the exam room."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.htmx:
            return HttpResponse(SESSION_ENDED, status=401, content_type="text/plain")
        return redirect_to_login(request.get_full_path())

    return wrapper


def question_url(attempt: Attempt, position: int) -> str:
    return reverse("attempts:question", args=[attempt.pk, position])


def open_attempt(request, pk: int) -> Attempt:
    """The candidate's own attempt (anyone else's is a 404), finalized first if time ran out."""
    attempt = selectors.attempt_for_user(request.user, pk)
    return finalize_if_expired(attempt=attempt, now=timezone.now())


def ended_response(request, attempt: Attempt, *, saving: bool = False):
    """Every request to the exam room of an attempt that has ended goes to its results: a
    client-side redirect for htmx (never a 302 swapped inside the room)."""
    if attempt.finish_reason == Attempt.FinishReason.EXPIRED:
        messages.warning(request, TIME_OVER)
    elif saving:
        messages.warning(request, ENDED_ELSEWHERE)
    url = reverse("attempts:results", args=[attempt.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def attempt_in_progress(view):
    """Hand the view the candidate's own attempt while it is in progress; an attempt that has
    ended (or just ran out of time) answers with its results, the same way for every view."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        attempt = open_attempt(request, pk)
        if not attempt.is_in_progress:
            return ended_response(request, attempt)
        return view(request, attempt, *args, **kwargs)

    return wrapper


def attempt_finished(view):
    """Hand the view the candidate's own attempt once it has ended; one still in progress goes
    back to the question the candidate is on (its answers are not shown yet)."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        attempt = open_attempt(request, pk)
        if attempt.is_in_progress:
            url = question_url(attempt, attempt.current_position)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return view(request, attempt, *args, **kwargs)

    return wrapper


def full_page_wanted(request) -> bool:
    """htmx asked for a fragment: not a plain visit, nor htmx restoring a page from history."""
    return not request.htmx or request.htmx.history_restore_request
