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

        from django.contrib.auth.signals import user_logged_in

        from accounts.timezones import remember_time_zone

        # Read the stored zone at login, when the session is written anyway, so no later
        # request pays a query or a session write for it.
        user_logged_in.connect(remember_time_zone, dispatch_uid="remember_time_zone")
