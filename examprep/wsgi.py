import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examprep.settings")

application = get_wsgi_application()


def _require_secret_key():
    from django.conf import settings

    try:
        configured = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:
        configured = False
    if not configured:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off")


_require_secret_key()
