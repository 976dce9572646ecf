"""What error reports (the debug page, admin e-mails) may show."""

import re

from django.views.debug import SafeExceptionReporterFilter


class ExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, also masking DATABASE_URL wherever it appears (settings, request.META
    under runserver, which copies the environment): the URL carries the database password."""

    hidden_settings = re.compile(
        r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL", flags=re.IGNORECASE
    )
