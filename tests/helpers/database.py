"""A database that fails, through Django's documented seam (`connection.execute_wrapper`)."""

from django.db import OperationalError, ProgrammingError


def database_gone(execute, sql, params, many, context):
    """An execute wrapper: every query fails as when the database server went away."""
    raise OperationalError("server closed the connection unexpectedly")


def query_bug(execute, sql, params, many, context):
    """An execute wrapper: every query fails as a bug in the code would (a column that does not exist)."""
    raise ProgrammingError('column "secret_column" does not exist')
