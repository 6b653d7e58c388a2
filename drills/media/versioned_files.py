"""The files that saved versions of media refer to: kept in storage, so restoring a version or
recovering a deleted item brings its file back (django-reversion holds only the file's name).

A replaced or deleted file stays while a version names it; `sweep_media_orphans` spares it too.
Deleting old revisions (django-reversion's `deleterevisions` command) lets the next sweep remove
files no version names any more.
"""

from django.core.files.storage import default_storage
from django.db.models import Q
from reversion.errors import RevertError
from reversion.models import Version

from drills.models import CueMedia

FILE_FIELDS = ("file", "poster")


def _media_versions():
    return Version.objects.get_for_model(CueMedia)


def named_in_versions(names):
    """Those of `names` that some saved version of a media item refers to."""
    names = [name for name in names if name]
    if not names:
        return set()
    # Stored names are random and unique, so finding one quoted in a version's data is finding it used.
    condition = Q()
    for name in names:
        condition |= Q(serialized_data__contains=f'"{name}"')
    found = set()
    for data in _media_versions().filter(condition).values_list("serialized_data", flat=True).iterator():
        found.update(name for name in names if f'"{name}"' in data)
    return found


def names_in_versions():
    """Every stored name that a saved version of a media item refers to."""
    names = set()
    for version in _media_versions().iterator():
        names.update(version_files(version).values())
    names.discard("")
    return names


def version_files(version):
    """{field: stored name} of the file and poster `version` refers to."""
    try:
        data = version.field_dict
    except RevertError:
        return {}
    return {field: str(getattr(data.get(field), "name", data.get(field)) or "") for field in FILE_FIELDS}


def missing_files(version):
    """The fields ("file", "poster") of `version` whose file is no longer in storage."""
    return [field for field, name in version_files(version).items() if name and not default_storage.exists(name)]
