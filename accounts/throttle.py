"""A fixed-window counter in the database, for actions django-axes does not cover (sign-ups),
and the one reading of a client's address that both use (AXES_CLIENT_IP_CALLABLE)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import ActionCount


def client_address(request) -> str | None:
    """The client's address. REMOTE_ADDR is the peer; behind TRUSTED_PROXIES proxies of our own
    it is theirs, and the client is the entry those proxies appended to X-Forwarded-For, read
    from the right so that an address a client forges at the left is never believed."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    # None when the request has no peer (a test's force_login): django-axes stores the
    # address in an IP field, which accepts no placeholder.
    return request.META.get("REMOTE_ADDR")


def window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=now.tzinfo)


def throttle_hit(
    *, scope: str, key: str, limit: int, window_seconds: int, now: datetime | None = None
) -> bool:
    """Count one more action; True when it goes over `limit` within the window."""
    now = now or timezone.now()
    start = window_start(now, window_seconds)
    counter, _ = ActionCount.objects.get_or_create(scope=scope, key=key[:100], window_start=start)
    ActionCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    # Windows that have passed count for nothing: keep the table small.
    ActionCount.objects.filter(
        scope=scope, window_start__lt=start - timedelta(seconds=window_seconds)
    ).delete()
    return ActionCount.objects.values_list("count", flat=True).get(pk=counter.pk) > limit
