"""What a backup holds: the models the apps register in `AppConfig.ready()`, one call per model.

Backup imports no app: an app tells it which of its models a backup carries (`register`),
which it leaves out and why (`exclude`), so a new model cannot silently drop out: a test
checks that every model of the content apps is one or the other.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredFiles:
    """How a model's rows keep files in media storage, as the callbacks backup calls.

    The archive carries each file a row names under `files/`; what is derived from the files
    (renditions) is listed, not stored, and made again on import.
    """

    names: Callable  # (row fields) -> the storage names the row uses
    allowed: Callable  # (storage name) -> whether a file of this model may have that name
    check: Callable  # (the model's rows, {member: extracted path}, manifest entries) -> {name: (path, sha256)}
    derived: Callable  # () -> rows describing the derived files, archived beside the content
    check_derived: Callable  # (archived derived rows) -> None; raises BackupError
    remake: Callable  # (archived derived rows, written names, progress) -> how many were made, on restore
    put_back: Callable  # (written names, progress) -> how many were put back, when storage lost some


_content: list = []
_journal: list = []
_excluded: dict = {}
_files: dict = {}


def register(model, *, journal=False, files=None):
    """Carry every row of `model` in a backup. A `journal` model is restored before the content,
    with its positions, and is not compared when an archive is imported again. `files` says how
    the model's rows keep files in media storage (a `StoredFiles`)."""
    models = _journal if journal else _content
    if model not in models:
        models.append(model)
    if files is not None:
        _files[model] = files


def exclude(model, reason):
    """Leave `model` out of backups on purpose; `reason` says why (e.g. it is made again on import)."""
    _excluded[model] = reason


def content_models():
    """The content models, each after the ones its foreign keys point at (rows are restored in this order)."""
    ordered, placed = [], set()

    def place(model, seen=()):
        if model in placed or model in seen:
            return
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in _content and field.related_model is not model:
                place(field.related_model, (*seen, model))
        placed.add(model)
        ordered.append(model)

    for model in _content:
        place(model)
    return tuple(ordered)


def stored_files():
    """[(label_lower, StoredFiles)] of the models whose rows keep files in media storage."""
    return [(model._meta.label_lower, files) for model, files in _files.items()]


def journal_models():
    return tuple(_journal)


def excluded_models():
    return dict(_excluded)


def models_by_label():
    """{label_lower: model} of every model a backup holds."""
    return {model._meta.label_lower: model for model in (*content_models(), *journal_models())}
