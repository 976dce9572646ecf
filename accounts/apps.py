from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Candidates and instructors: sign-up, the Instructors group, the demo accounts."""

    name = "accounts"

    def ready(self):
        from accounts.instructors import ensure_instructors_group

        # As contrib.auth creates permissions: after every migrate (and every test flush), so
        # the group always exists with exactly its permissions.
        post_migrate.connect(ensure_instructors_group, dispatch_uid="ensure_instructors_group")
