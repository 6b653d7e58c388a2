"""Translations in the admin: a tab per published language, each item's status per language, and the
filter "needs translation into".

A translated field's inputs stand together, the default language's first (`title`, then `title_de`,
`title_zh_hans`…; in inlines, a column each), every input marked with its language. The script
translation-tabs.js turns that into tabs: the tab of a language shows its inputs beside the default
language's text, read-only, as the source. Without JavaScript every input shows, labelled with its
language. Columns of languages the site does not publish in stay out of every form.

The status of each translation (missing, up to date, outdated) comes from runcms.translation_status.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from modeltranslation.fields import TranslationField

from runcms import languages
from runcms.models import OutdatedTranslation
from runcms.translation_status import track_status, translation_statuses


def _columns(model, codes):
    return [languages.column(name, code) for code in codes for name in languages.translated_fields(model)]


def _hidden_columns(model):
    """The default language's columns (edited through the field itself) and those of unpublished languages."""
    shown = [code for code, _ in _other_languages()]
    return [column for column in _columns(model, languages.stored()) if column not in _columns(model, shown)]


def _other_languages():
    return [(code, languages.name(code)) for code in languages.enabled() if not languages.is_default(code)]


def _with_translations(names, model):
    """`names` (field names, or tuples of them sharing a line) with each translated field's inputs
    in the other languages after it: `title` becomes `title`, `title_de`, `title_zh_hans`…"""
    translated = set(languages.translated_fields(model))
    every = set(_columns(model, languages.stored()))
    result = []
    for line in names:
        group = line if isinstance(line, (list, tuple)) else (line,)
        group = tuple(name for name in group if name not in every)
        if not group:
            continue
        result.append(group if isinstance(line, (list, tuple)) else group[0])
        for code, _ in _other_languages():
            columns = tuple(languages.column(name, code) for name in group if name in translated)
            if columns:
                result.append(columns if len(columns) > 1 else columns[0])
    return result


class _MarkLanguages:
    """Marks the input of each translated field with its language, for the tabs and for spelling."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return None
        if isinstance(db_field, TranslationField):
            code = db_field.language
        elif db_field.name in languages.translated_fields(self.model):
            code = languages.default()
        else:
            return formfield
        fallbacks = [lang for lang in languages.chain(code) if lang != code]
        formfield.widget.attrs.update({
            "lang": code, "data-runcms-lang": code, "data-runcms-fallbacks": " ".join(fallbacks),
            "data-runcms-language-name": languages.name(code),
        })
        if languages.is_default(code):
            formfield.widget.attrs["data-runcms-source"] = ""
        return formfield

    @property
    def media(self):
        # A property rather than `class Media`, which an admin's own Media would hide.
        tabs = forms.Media(js=["runcms/admin/translation-tabs.js"], css={"all": ["runcms/admin/translation-tabs.css"]})
        return super().media + tabs


class TranslationsAdminMixin(_MarkLanguages):
    """A ModelAdmin whose model has translated fields: each field's inputs in every published language
    together, and the item's translation status per language at the top of the form."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        track_status(model)

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *_hidden_columns(self.model)]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "translation_status"] if obj is not None and _other_languages() else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (title, {**options, "fields": _with_translations(options["fields"], self.model)})
            for title, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and _other_languages() and fieldsets:
            title, options = fieldsets[0]
            fieldsets[0] = (title, {**options, "fields": ["translation_status", *options["fields"]]})
        return fieldsets

    def get_fields(self, request, obj=None):
        # Without fieldsets, Django's single fieldset lists these; translation_status is added above.
        return [name for name in super().get_fields(request, obj) if name != "translation_status"]

    @admin.display(description="translations")
    def translation_status(self, obj):
        statuses = translation_statuses(obj)
        return format_html(
            '<ul class="runcms-translation-status">{}</ul>',
            format_html_join(
                "", '<li data-runcms-translation="{}" data-runcms-status="{}">{}: <strong>{}</strong></li>',
                ((code, statuses[code], name, statuses[code]) for code, name in _other_languages()),
            ),
        )

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [*filters, NeedsTranslationFilter] if _other_languages() else filters


class TranslationsInlineMixin(_MarkLanguages):
    """An inline whose model has translated fields: a column per published language after each one."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *_hidden_columns(self.model)]

    def get_fields(self, request, obj=None):
        return _with_translations(super().get_fields(request, obj), self.model)


class NeedsTranslationFilter(admin.SimpleListFilter):
    """Items with no text yet in a published language (their title or name is empty in it), or whose
    translation is outdated."""

    title = "needs translation into"
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return _other_languages()

    def queryset(self, request, queryset):
        code = self.value()
        if code not in languages.enabled() or languages.is_default(code):
            return queryset
        column = languages.column(languages.key_field(queryset.model), code)
        outdated = OutdatedTranslation.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model), language=code
        ).values_list("object_id", flat=True)
        pk = queryset.model._meta.pk
        return queryset.filter(
            Q(**{f"{column}__isnull": True}) | Q(**{column: ""}) | Q(pk__in=[pk.to_python(id) for id in outdated])
        )
