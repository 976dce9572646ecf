"""A small fixed-window counter in Django's cache, for actions django-axes does not cover
(sign-ups). Per process with the default local-memory cache: with N workers the real limit is
at most N times the setting, still a hard cap on scripted sign-ups."""

from django.core.cache import cache


def client_address(request) -> str:
    # REMOTE_ADDR is the peer; behind a proxy it is the proxy's, which makes the limit shared,
    # never bypassable by a forged X-Forwarded-For.
    return request.META.get("REMOTE_ADDR", "unknown")


def throttle_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more action; True when it goes over `limit` within the window."""
    cache_key = f"throttle:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
