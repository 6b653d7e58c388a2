"""The media picker: wherever an editor chooses cue media (a step's picture, a cue's audio, the
gallery, a cover or hero, an author's photo), each choice shows its thumbnail and its whole title.

Django's autocomplete answers with names only; this view adds the thumbnail, and the widget
gives the chosen option the same, for the select2 templates in media-picker.js.
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError
from django.urls import reverse

from drills.models import CueMedia
from runcms.admin import SafeAutocompleteSelect


def thumbnail_pair(media):
    """The square thumbnail of `media` as (WebP, JPEG or PNG fallback) renditions, either may be None."""
    found = {rendition.format: rendition for rendition in media.sized_renditions(thumb=True)}
    webp = found.pop("webp", None)
    return webp, next(iter(found.values()), None)


def picker_data(media):
    """What a picker shows of `media` besides its title: a thumbnail address ("" for audio) and its kind."""
    webp, fallback = thumbnail_pair(media)
    thumbnail = webp or fallback
    return {"thumbnail": thumbnail.file.url if thumbnail else "", "kind": media.get_kind_display()}


class MediaAutocompleteView(AutocompleteJsonView):
    """Django's autocomplete, each result with its thumbnail (prefetched by CueMediaAdmin.get_queryset)."""

    def serialize_result(self, obj, to_field_name):
        return super().serialize_result(obj, to_field_name) | picker_data(obj)


def chosen_media(ids):
    """The media among `ids` (any strings: a refused form may hold anything), with thumbnails, by id."""
    valid = set()
    for value in ids:
        try:
            valid.add(CueMedia._meta.pk.to_python(value))
        except ValidationError:
            continue
    return {str(media.pk): media for media in CueMedia.objects.filter(pk__in=valid).with_thumbnails()} if valid else {}


def share_chosen_media(forms):
    """Loads the media chosen in every row of an inline at once, for the rows' pickers: one query
    for all rows rather than one per row."""
    pickers = [
        (form[name], picker)
        for form in forms
        for name, field in form.fields.items()
        if isinstance(picker := getattr(field.widget, "widget", field.widget), MediaPickerSelect)
    ]
    if pickers:
        known = chosen_media(str(bound.value()) for bound, _ in pickers if bound.value())
        for _, picker in pickers:
            picker.known = known


class MediaPickerSelect(SafeAutocompleteSelect):
    known = None  # set by share_chosen_media() for the rows of an inline

    class Media:
        # Named again so that Django's merge of form media keeps the picker after autocomplete.js.
        js = ("admin/js/autocomplete.js", "drills/admin/media-picker.js")
        css = {"all": ("drills/admin/media-picker.css",)}

    def get_url(self):
        return reverse(f"{self.admin_site.name}:drills_cuemedia_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-media-picker": ""}

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        chosen = {str(option["value"]): option for _, options, _ in groups for option in options if option["value"]}
        known = self.known or {}
        if chosen.keys() - known.keys():
            known = chosen_media(chosen)
        for pk, option in chosen.items():
            if pk in known:
                data = picker_data(known[pk])
                option["attrs"].update({"data-thumbnail": data["thumbnail"], "data-kind": data["kind"]})
        return groups
