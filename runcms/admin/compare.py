""""Compare with live": the fields a draft change changes, the item's and its steps', cues'… in every language."""

import difflib
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from modeltranslation.translator import NotRegistered, translator
from reversion.revisions import _get_options

from runcms import drafts

EMPTY = "(empty)"


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    diff: str = ""  # the words taken out and put in, for text


@dataclass
class RowChange:
    title: str
    state: str  # "changed", "added" or "removed"
    fields: list = field(default_factory=list)


def compare(obj, draft):
    """The differences between the live `obj` and its `draft`, as `RowChange`s: the item first, then its parts."""
    live = {(e["model"], e["object_id"]): drafts.fields_of(e) for e in drafts.serialize(obj)}
    drafted = {(e["model"], e["object_id"]): drafts.fields_of(e) for e in draft.versions}
    root = (obj._meta.label_lower, str(obj.pk))
    kept = drafts.kept_from_live(type(obj))
    rows = [RowChange(capfirst(obj._meta.verbose_name), "changed",
                      _fields(type(obj), live.get(root, {}), drafted.get(root, {}), skip=kept))]
    # Parts in the order the item names them (steps before cues), each by position.
    followed = [obj._meta.get_field(name).related_model._meta.label_lower for name in _get_options(type(obj)).follow]
    parts = sorted((set(live) | set(drafted)) - {root}, key=lambda key: _order(key, live, drafted, followed))
    for key in parts:
        model = apps.get_model(key[0])
        before, after = live.get(key), drafted.get(key)
        state = "added" if before is None else "removed" if after is None else "changed"
        skip = {f.name for f in model._meta.fields if f.is_relation and f.related_model is type(obj)}
        changes = _fields(model, before or {}, after or {}, skip=skip)
        if changes:
            position = (after or before).get("position")
            title = capfirst(model._meta.verbose_name) + (f" {position}" if position is not None else "")
            rows.append(RowChange(title, state, changes))
    return [row for row in rows if row.fields]


def _order(key, live, drafted, followed):
    fields = drafted.get(key) or live.get(key)
    rank = followed.index(key[0]) if key[0] in followed else len(followed)
    return rank, key[0], fields.get("position") or 0, key[1]


def _originals(model):
    # A translated field also keeps its untranslated column, a copy of one language: compare the languages.
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def _fields(model, before, after, skip=()):
    hidden = {*skip, "id", *_originals(model)}
    changes = []
    for model_field in model._meta.get_fields():
        name = model_field.name
        if name in hidden or model_field.auto_created or not (model_field.concrete or model_field.many_to_many):
            continue
        old, new = before.get(name), after.get(name)
        if old == new or (old in (None, "", []) and new in (None, "", [])):
            continue
        old_text, new_text = _shown(model_field, old), _shown(model_field, new)
        diff = _word_diff(old_text, new_text) if _is_text(model_field) and old and new else ""
        changes.append(FieldChange(capfirst(str(model_field.verbose_name)), old_text, new_text, diff))
    return changes


def _is_text(model_field):
    return model_field.get_internal_type() in ("CharField", "TextField") and not model_field.choices


def _shown(model_field, value):
    if value in (None, "", []):
        return EMPTY
    if model_field.many_to_many:
        related = model_field.related_model._base_manager.filter(pk__in=value)
        return ", ".join(sorted(str(item) for item in related)) or EMPTY
    if model_field.is_relation:
        item = model_field.related_model._base_manager.filter(pk=value).first()
        return str(item) if item is not None else "(deleted)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _word_diff(old, new):
    """`new` with the words taken out of `old` in <del> and the words put in <ins>."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    pieces = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            pieces.append(format_html("<del>{}</del>", "".join(a[a1:a2])))
        if op in ("insert", "replace"):
            pieces.append(format_html("<ins>{}</ins>", "".join(b[b1:b2])))
        if op == "equal":
            pieces.append(format_html("{}", "".join(a[a1:a2])))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
