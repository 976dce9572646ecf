import sys

from django.db import OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error

from attempts.selectors import mocks_in_progress
from examprep.middleware import unavailable_response
from questions.selectors import active_exams_with_counts


@require_GET
def home(request):
    context = {"exams": active_exams_with_counts(), "running": mocks_in_progress(request.user)}
    return render(request, "home.html", context)


@require_GET
def healthz(request):
    """Load balancer probe: the process answers and the database is reachable (a database
    fault becomes a 503 in DatabaseUnavailableMiddleware)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    if isinstance(sys.exc_info()[1], OperationalError):
        return unavailable_response(request)
    try:
        # The site's layout with a way back; rendered without the request's context, because
        # whatever failed (the session, the user) may fail again while rendering it.
        return render(None, "500.html", status=500)
    except Exception:
        return django_server_error(request)
