"""Back up all content to one archive, and restore it into an empty site: the names other code imports.

`export` writes an archive, `archive` says what one holds, `checks` reads and checks all of
it before anything is written, and `restore` writes it into the site.

This package lives in `articles` because articles is the app that knows every content
type (it imports drills, which imports runcms).
"""

from articles.backup.archive import CONTENT_MODELS, JOURNAL_MODELS, BackupError, describe_counts, sign_manifest
from articles.backup.export import export_content
from articles.backup.restore import ImportResult, import_content

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
