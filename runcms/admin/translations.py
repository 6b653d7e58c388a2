"""Translations in the admin: each published language besides the default gets a section of its own.

The main form edits the default language (a translated field's own name, e.g. `title`, reads
and writes it); the section "German" holds `title_de`, `summary_de`… Columns of languages the
site does not publish in stay out of every form. Inlines (steps, cues) add a column per language.
"""

import reversion
from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from reversion.errors import RevertError
from reversion.models import Version

from runcms import languages

# How many of an item's latest revisions its translation status looks back over.
STATUS_REVISIONS = 50


def _columns(model, codes):
    return [languages.column(name, code) for code in codes for name in languages.translated_fields(model)]


def _hidden_columns(model):
    """The default language's columns (edited through the field itself) and those of unpublished languages."""
    shown = [code for code in languages.enabled() if not languages.is_default(code)]
    return [column for column in _columns(model, languages.stored()) if column not in _columns(model, shown)]


def _other_languages():
    return [(code, name) for code, name in settings.LANGUAGES if not languages.is_default(code)]


class TranslationsAdminMixin:
    """A ModelAdmin whose model has translated fields: one section per published language besides the default."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *_hidden_columns(self.model)]

    def get_fieldsets(self, request, obj=None):
        every = set(_columns(self.model, languages.stored()))
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in every]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        for code, name in _other_languages():
            fields = [languages.column(field, code) for field in languages.translated_fields(self.model)]
            status = translation_status(obj, code) if obj is not None else "missing"
            description = f"Translation status: {status}. An empty field shows the text it falls back to."
            fieldsets.append((f"{name} ({code})", {"fields": fields, "description": description}))
        return fieldsets


    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [*filters, NeedsTranslationFilter] if _other_languages() else filters


def translation_status(obj, code):
    """"missing", "up to date", or "outdated": the default language's text changed in a save after the
    last one that changed this language's (read from the item's revisions)."""
    if code not in languages.available(obj):
        return "missing"
    if not reversion.is_registered(type(obj)):
        return "up to date"  # no history to tell
    fields = languages.translated_fields(type(obj))
    source = [languages.column(field, languages.default()) for field in fields]
    own = [languages.column(field, code) for field in fields]
    versions = Version.objects.get_for_object(obj).order_by("-pk")[:STATUS_REVISIONS]
    changed_source = changed_own = -1
    previous = None
    for index, version in enumerate(reversed(list(versions))):
        try:
            data = version.field_dict
        except RevertError:  # a revision today's models cannot read: it tells nothing
            continue
        if previous is None or any(data.get(c) != previous.get(c) for c in source):
            changed_source = index
        if previous is None or any(data.get(c) != previous.get(c) for c in own):
            changed_own = index
        previous = data
    return "outdated" if changed_source > changed_own else "up to date"


class NeedsTranslationFilter(admin.SimpleListFilter):
    """Items with no text yet in a published language (their title or name is empty in it)."""

    title = "needs translation into"
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return _other_languages()

    def queryset(self, request, queryset):
        code = self.value()
        if code not in languages.enabled() or languages.is_default(code):
            return queryset
        column = languages.column(languages.key_field(queryset.model), code)
        return queryset.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""}))


class TranslationsInlineMixin:
    """An inline whose model has translated fields: a column for each published language besides the default."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *_hidden_columns(self.model)]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f not in _columns(self.model, languages.stored())]
        return [*fields, *_columns(self.model, [code for code, _ in _other_languages()])]
