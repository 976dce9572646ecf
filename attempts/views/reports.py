"""The candidate's problem reports: what they filed, its status and the instructor's reply."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from attempts import selectors
from attempts.http import candidate_required


@require_GET
@candidate_required
def my_reports(request):
    context = {"reports": selectors.reports_of(request.user)}
    return render(request, "attempts/my_reports.html", context)
