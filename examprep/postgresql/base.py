"""Django's PostgreSQL backend whose pool checks connections with examprep.db's check.

Django builds the pool itself and passes `check=` from CONN_HEALTH_CHECKS, so a check of our
own cannot go through OPTIONS (psycopg refuses the duplicate keyword); it is set on the pool
Django built, once."""

from django.db.backends.postgresql import base

from examprep.db import check_pooled_connection


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        if pool is not None and pool._check is not check_pooled_connection:
            pool._check = check_pooled_connection
        return pool
