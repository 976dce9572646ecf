"""The candidate's Progress page on one exam: trend, shares, pace, readiness, repetition."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from attempts import analytics, charts
from attempts.http import candidate_required, full_page_wanted
from questions.models import Exam


@require_GET
@vary_on_headers("HX-Request")
@candidate_required
def progress(request, code):
    exam = get_object_or_404(Exam.objects.filter(is_active=True), code=code)
    progress_filter = analytics.ProgressFilter.from_query(request.GET)
    data = analytics.progress(request.user, exam, progress_filter, timezone.now())
    pass_percent = round(100 * exam.pass_share)
    context = {
        "exam": exam,
        "filter": progress_filter,
        "pass_percent": pass_percent,
        "score_chart": charts.score_chart(
            data["trend"],
            scaled_min=exam.scaled_min,
            scaled_pass=exam.scaled_pass,
            scaled_max=exam.scaled_max,
        ),  # fmt: skip
        "domain_chart": charts.share_chart(data["by_domain"], pass_percent=pass_percent),
        **data,
    }
    if full_page_wanted(request):
        return render(request, "attempts/progress.html", context)
    return render(request, "attempts/progress.html#progress-sections", context)
