from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from questions.selectors import active_exams_with_counts


@require_GET
def home(request):
    return render(request, "home.html", {"exams": active_exams_with_counts()})


@require_GET
def healthz(request):
    """Load balancer probe: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
