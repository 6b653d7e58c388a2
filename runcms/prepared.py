"""Queries built and compiled once per process, then run with other values.

Building a queryset and compiling it to SQL costs far more than running a small indexed
query: for the API's ETag state and a detail by slug, ten times more. A `PreparedQuery`
compiles its queryset twice per value with two different samples, learns which SQL
parameters each value fills, and from then on only puts the new values in their places.
A value must only fill parameters (a filter's value, a time), never change the SQL itself.
"""

import uuid
from datetime import UTC, datetime

from django.db import models

from runcms.publishing import as_public_at
from runcms.replicas import reading_connection

# Two samples of each kind of value: each parameter that differs between them is that value's.
_SAMPLES = {
    models.DateTimeField: (datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC), datetime(2002, 3, 4, 5, 6, 7, 8, tzinfo=UTC)),
    models.UUIDField: (uuid.UUID(int=1), uuid.UUID(int=2)),
    models.Field: ("\x01prepared-a", "\x01prepared-b"),
}


def _samples(field):
    return next(samples for kind, samples in _SAMPLES.items() if isinstance(field, kind))


class PreparedQuery:
    def __init__(self, build, **fields):
        """`build(**values)` returns (sql, params); `fields` names the model field each value is for,
        which turns it into a parameter as the ORM would.

        A value named `now` also stands for the present in `published()` (see `as_public_at`).
        """
        self.build = build
        self.fields = fields
        self.compiled = None

    def _build(self, values):
        # `published()` reads the clock when compiled: it must read the sample `now` instead.
        with as_public_at(values.get("now")):
            return self.build(**values)

    def _compile(self):
        first = {name: _samples(field)[0] for name, field in self.fields.items()}
        sql, params = self._build(first)
        slots = []
        for name, field in self.fields.items():
            other_sql, other_params = self._build({**first, name: _samples(field)[1]})
            if other_sql != sql or len(other_params) != len(params):
                raise ValueError(f"{name} changes the SQL itself, not only its parameters")
            slots += [(index, name) for index, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        return sql, list(params), slots

    def params(self, **values):
        if self.compiled is None:
            self.compiled = self._compile()
            self.build = None  # compiled: what it was built from (a view, a request) can go
        sql, params, slots = self.compiled
        params = list(params)
        connection = reading_connection()
        for index, name in slots:
            params[index] = self.fields[name].get_db_prep_value(values[name], connection, prepared=False)
        return sql, params

    def fetchall(self, **values):
        sql, params = self.params(**values)
        with reading_connection().cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
