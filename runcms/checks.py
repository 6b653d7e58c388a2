"""System checks of the published documents (`manage.py check --database default` and `migrate`
say when stored documents were rendered by serializers that have since changed) and of the languages."""

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections

from runcms import documents, languages
from runcms.models import Document


@checks.register(checks.Tags.database)
def check_stale_documents(app_configs=None, databases=None, **kwargs):
    """Stale documents are rendered again on first read, so each costs one slow first request."""
    # Tagged `database`: Django passes `databases` only to `check --database` and `migrate`.
    if DEFAULT_DB_ALIAS not in (databases or ()):
        return []
    # The first `migrate` runs its checks before it creates the table.
    if Document._meta.db_table not in connections[DEFAULT_DB_ALIAS].introspection.table_names():
        return []
    stale = documents.stale_count()
    if not stale:
        return []
    return [
        checks.Warning(
            f"{stale} published documents were rendered by an older version of the API serializers; "
            "run `manage.py rebuild_documents`.",
            hint="Until then each is rendered again when first read, which slows that request.",
            id="runcms.W001",
        )
    ]


@checks.register()
def check_languages(app_configs=None, **kwargs):
    """Every published language needs its text columns (a fallback outside them stops the start already)."""
    missing = [code for code in languages.enabled() if code not in languages.stored()]
    if not missing:
        return []
    return [
        checks.Error(
            f"LANGUAGES has {', '.join(missing)}, which CONTENT_LANGUAGES has no text columns for.",
            hint="Add it to CONTENT_LANGUAGES, then run `manage.py makemigrations drills articles` and `migrate`.",
            id="runcms.E001",
        )
    ]
