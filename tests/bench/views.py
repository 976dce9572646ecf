"""Comparison points for a save, behind the same middleware, session and user reads, CSRF check
and login requirement as a save:

- `insert`, the baseline the issue names: one INSERT.
- `save_floor`: the statements a versioned save cannot do without (lock the attempt by owner,
  read the question with its choices, update the question, update its choices), written as raw
  SQL with no form, no ORM and no template. What a save costs above this floor is Django's
  ORM, the form and the response; what the floor costs above the baseline is the database
  work the save's rules need (docs/benchmarks.md).
"""

from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from attempts.http import candidate_required
from attempts.models import Attempt, AttemptChoice, AttemptQuestion

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


@require_POST
@candidate_required
def save_floor(request, pk, position):
    try:
        chosen = int(request.POST["choice"])
        version = int(request.POST["version"])
    except (KeyError, ValueError):
        return HttpResponse("unreadable", status=400, content_type="text/plain")
    attempts, items = Attempt._meta.db_table, AttemptQuestion._meta.db_table
    choices = AttemptChoice._meta.db_table
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {attempts} WHERE id = %s AND user_id = %s{lock}",
            [pk, request.user.pk],
        )
        if cursor.fetchone() is None:
            return HttpResponse("not yours", status=404, content_type="text/plain")
        cursor.execute(
            f"SELECT q.id, q.version, c.position, c.selected FROM {items} q "
            f"JOIN {choices} c ON c.item_id = q.id WHERE q.attempt_id = %s AND q.position = %s",
            [pk, position],
        )
        rows = cursor.fetchall()
        if not rows:
            return HttpResponse("no such question", status=404, content_type="text/plain")
        item_id, stored_version = rows[0][0], rows[0][1]
        if stored_version != version:
            return HttpResponse("conflict", status=409, content_type="text/plain")
        cursor.execute(
            f"UPDATE {items} SET version = version + 1, selected_count = 1, saved_at = %s "
            "WHERE id = %s",
            [timezone.now(), item_id],
        )
        cursor.execute(
            f"UPDATE {choices} SET selected = (position = %s), struck = %s WHERE item_id = %s",
            [chosen, False, item_id],
        )
    return HttpResponse("saved", content_type="text/plain")
