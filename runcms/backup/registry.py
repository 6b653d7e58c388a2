"""What a backup holds: the models the apps register in `AppConfig.ready()`, one call per model.

Backup imports no app: an app tells it which of its models a backup carries (`register`),
which it leaves out and why (`exclude`), so a new model cannot silently drop out: a test
checks that every model of the content apps is one or the other.
"""

_content: list = []
_journal: list = []
_excluded: dict = {}


def register(model, *, journal=False):
    """Carry every row of `model` in a backup. A `journal` model is restored before the content,
    with its positions, and is not compared when an archive is imported again."""
    models = _journal if journal else _content
    if model not in models:
        models.append(model)


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


def journal_models():
    return tuple(_journal)


def excluded_models():
    return dict(_excluded)


def models_by_label():
    """{label_lower: model} of every model a backup holds."""
    return {model._meta.label_lower: model for model in (*content_models(), *journal_models())}
