import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class ActionCount(models.Model):
    """How often one client did one throttled action (a sign-up) in one time window.

    In the database, not a process's memory, so every worker and every app server counts
    against the same limit.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="one_count_per_client_and_window"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris.")


class Preferences(models.Model):
    """A candidate's settings that outlive a session: their time zone, for every time shown."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    # An IANA name; empty until chosen in the account or detected from the browser.
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])

    def __str__(self):
        return f"{self.user}: {self.time_zone or 'no time zone'}"
