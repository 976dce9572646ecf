"""A view that does the least a save must do: the same middleware, session and user reads, CSRF
check and login requirement as a save, then one INSERT."""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from attempts.http import candidate_required

TABLE = "bench_baseline"


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (user_id integer NOT NULL, body text NOT NULL)"
        )


@require_POST
@candidate_required
def insert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (user_id, body) VALUES (%s, %s)",
            [request.user.pk, request.POST.get("choice", "")],
        )
    return HttpResponse("saved", content_type="text/plain")
