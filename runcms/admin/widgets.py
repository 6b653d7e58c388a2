"""Autocomplete widgets for every admin form that re-render a refused form instead of failing."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH


class _KnownValuesOnly:
    """Autocomplete widgets that re-render a refused form without crashing.

    Django's autocomplete widget looks the submitted values up to show them again; a
    hostile value ("abc" for a number, a malformed UUID) would raise there and turn the
    form's clear error into a 500. Values the target field cannot even parse are dropped
    from the redisplay; the form still reports them as invalid.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        parsable = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            parsable.append(item)
        groups = super().optgroups(name, parsable, attr)
        if not self.allow_multiple_selected:
            # Valid HTML: a required single select starts with an empty choice, and no
            # option is empty (Django's widget writes <option value=""></option>).
            if self.is_required:
                groups.insert(0, (None, [self.create_option(name, "", "", False, 0)], 0))
            for _group, options, _index in groups:
                for option in options:
                    if option["value"] == "" and not option["label"]:
                        option["label"] = BLANK_CHOICE_DASH[0][1]
        return groups


class SafeAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


# The single-choice widget for foreign keys to a model, where an app shows more than a name
# (drills.media registers its media picker, with thumbnails).
AUTOCOMPLETE_WIDGETS = {}


def register_autocomplete_widget(model, widget_class):
    AUTOCOMPLETE_WIDGETS[model] = widget_class


class SafeAutocompleteMixin:
    """For ModelAdmin and inlines: autocomplete fields with the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            widget_class = AUTOCOMPLETE_WIDGETS.get(db_field.remote_field.model, SafeAutocompleteSelect)
            kwargs["widget"] = widget_class(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
