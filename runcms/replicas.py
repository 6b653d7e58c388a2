"""Reads from a read replica (`DATABASE_REPLICA_URL`), everything that must see the latest from the primary.

A replica lags the primary by a moment, so only reads that may be that moment old go there:
the public pages and API of a request that has written nothing. These stay on the primary:

- every write, and every read after a write in the same request or command (`db_for_write`
  pins the rest of it), and every read inside a transaction on the primary (an export's
  snapshot, a save's checks);
- requests that may write (POST, PUT, PATCH, DELETE) and the admin: an editor reads back
  what they saved a moment ago;
- views marked with `@primary_database`: the sync, whose tokens are positions in the
  primary's change journal.
"""

import contextvars
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.urls import reverse

REPLICA = "replica"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_on_primary = contextvars.ContextVar("runcms_reads_on_primary", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_primary.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        _on_primary.set(True)  # what follows reads what this wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database: the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def reading_connection():
    """The connection a read made now goes to, for raw SQL (the ORM asks the router itself)."""
    return connections[router.db_for_read(None)]


class ReplicaMiddleware:
    """Gives each request its own choice of database, starting on the replica unless it must not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _on_primary.set(request.method not in _SAFE_METHODS or request.path.startswith(_admin_prefix()))
        try:
            return self.get_response(request)
        finally:
            # Worker threads serve one request after another in the same context.
            _on_primary.reset(token)


def _admin_prefix():
    return reverse("admin:index")


def primary_database(view):
    """Mark a view whose reads must all come from the primary."""

    @wraps(view)
    def on_primary(*args, **kwargs):
        _on_primary.set(True)  # reset by ReplicaMiddleware when the request ends
        return view(*args, **kwargs)

    return on_primary
