"""Starting a quick mock: twenty blueprint-weighted questions at the exam's pace."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from attempts.assembly import BankTooSmall
from attempts.http import candidate_required, question_url
from attempts.services.starting import attempt_start_quick_mock
from questions.models import Exam


@require_POST
@candidate_required
def quick_mock_start(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    try:
        attempt, resumed = attempt_start_quick_mock(
            user=request.user, exam=exam, now=timezone.now()
        )
    except BankTooSmall as exc:
        messages.error(request, str(exc).replace("a full mock", "a quick mock"))
        return redirect("attempts:exam", code=code)
    if resumed:
        messages.info(
            request, "You have a quick mock in progress: it continues where you left off."
        )
    return redirect(question_url(attempt, attempt.current_position))
