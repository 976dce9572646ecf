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
