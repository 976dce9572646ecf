"""The demo accounts that `make run` creates and prints."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.instructors import ensure_instructors_group

# Demo-only credentials, printed by `make run`; never used outside a local demo database.
DEMO_ACCOUNTS = [
    {"role": "candidate", "username": "candidate", "password": "exam-ready-2026", "staff": False},
    {"role": "instructor", "username": "instructor", "password": "author-bank-2026", "staff": True},
]


@transaction.atomic
def demo_accounts_ensure() -> list[str]:
    """Create missing demo accounts; existing ones keep whatever password they have now."""
    user_model = get_user_model()
    instructors = ensure_instructors_group()
    created = []
    for account in DEMO_ACCOUNTS:
        user, was_created = user_model.objects.get_or_create(
            username=account["username"], defaults={"is_staff": account["staff"]}
        )
        if was_created:
            user.set_password(account["password"])
            user.save(update_fields=["password"])
            created.append(user.username)
        if account["staff"]:
            user.groups.add(instructors)
    return created
