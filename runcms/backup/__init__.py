"""Back up all content to one archive, and restore it into an empty site: the names other code imports.

`export` writes an archive, `archive` says what one holds, `checks` reads and checks all of
it before anything is written, and `restore` writes it into the site. `registry` holds
the models the apps register for backup in their `AppConfig.ready()`.
"""

from runcms.backup.archive import BackupError, describe_counts, sign_manifest
from runcms.backup.export import export_content
from runcms.backup.registry import StoredFiles, content_models, exclude, journal_models, register
from runcms.backup.restore import ImportResult, import_content

__all__ = [
    "BackupError",
    "ImportResult",
    "StoredFiles",
    "content_models",
    "describe_counts",
    "exclude",
    "export_content",
    "import_content",
    "journal_models",
    "register",
    "sign_manifest",
]
