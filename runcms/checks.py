"""System checks of the published documents (`manage.py check --database default` and `migrate`
say when stored documents were rendered by serializers that have since changed), of the languages
and of the admin's date format."""

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import formats, translation

from runcms import documents, languages
from runcms import formats as admin_formats
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


@checks.register()
def check_admin_date_format(app_configs=None, **kwargs):
    """The admin writes dates one way (runcms/formats) only in languages that have a module there."""
    if formats.get_format("DATETIME_FORMAT", lang=settings.LANGUAGE_CODE) == admin_formats.DATETIME_FORMAT:
        return []
    return [
        checks.Warning(
            f"The admin's language, {settings.LANGUAGE_CODE}, has no module in runcms/formats: "
            "its dates and times are written the language's own way, not as 2026-06-01 12:00.",
            hint=f"Copy runcms/formats/en to runcms/formats/{translation.to_locale(settings.LANGUAGE_CODE)}.",
            id="runcms.W020",
        )
    ]
