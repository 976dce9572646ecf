"""The psycopg pool's connection check, tuned for a database restart."""

from psycopg_pool import ConnectionPool


def check_pooled_connection(conn) -> None:
    """psycopg's own check, plus: when one pooled connection is dead, check every idle one.

    A restart kills all of them at once. Alone, the pool finds them one per try, sleeping a
    growing back-off (1 s, 2 s, ...) between tries, so a request meeting two or three dead
    connections outlives DB_POOL_TIMEOUT and fails. Checking them all at the first failure
    lets the pool reconnect during the first back-off, and the retry gets a live connection.
    """
    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        _check_idle_connections()
        raise


def _check_idle_connections() -> None:
    # Django keeps one pool per alias on the PostgreSQL backend class; pool.check() uses
    # psycopg's plain check_connection, so this never calls itself.
    from django.db.backends.postgresql.base import DatabaseWrapper

    for pool in list(DatabaseWrapper._connection_pools.values()):
        pool.check()
