"""The Instructors group: who may edit the bank, grant accommodations and answer reports."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

INSTRUCTORS_GROUP = "Instructors"

# (app label, model, actions): everything on the bank; accommodations; the report queue.
INSTRUCTOR_PERMISSIONS = [
    ("questions", model, ("add", "change", "delete", "view"))
    for model in ("exam", "domain", "taskstatement", "service", "topic", "question", "choice")
] + [
    ("attempts", "accommodation", ("add", "change", "delete", "view")),
    ("attempts", "questionreport", ("change", "view")),
    ("attempts", "itemanalysis", ("view",)),
]


def instructor_permissions():
    wanted = Q(pk__in=[])
    for app_label, model, actions in INSTRUCTOR_PERMISSIONS:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return Permission.objects.filter(wanted)


def ensure_instructors_group(sender=None, using="default", **kwargs) -> Group:
    """Create the group if it is missing and give it its permissions (a post_migrate receiver;
    idempotent). Runs after contrib.auth's own receiver has created the permissions."""
    group, _ = Group.objects.using(using).get_or_create(name=INSTRUCTORS_GROUP)
    group.permissions.add(*instructor_permissions().using(using))
    return group


def is_instructor(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    )
