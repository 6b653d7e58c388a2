"""Back up all content to one archive, and restore it into an empty site: the names other code imports.

`export` writes an archive, `archive` says what one holds, `checks` reads and checks all of
it before anything is written, and `restore` writes it into the site.
"""

from runcms.backup.archive import CONTENT_MODELS, JOURNAL_MODELS, BackupError, describe_counts, sign_manifest
from runcms.backup.export import export_content
from runcms.backup.restore import ImportResult, import_content

__all__ = [
    "CONTENT_MODELS",
    "JOURNAL_MODELS",
    "BackupError",
    "ImportResult",
    "describe_counts",
    "export_content",
    "import_content",
    "sign_manifest",
]
