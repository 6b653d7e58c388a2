"""List filters of the cue media endpoint (django-filter)."""

import django_filters

from drills.models import CueMedia, MediaKind
from runcms.api.filters import UpdatedSinceFilter


class MediaFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MediaKind.choices, label="Only media of this kind.")
    updated_since = UpdatedSinceFilter(collection="media")

    class Meta:
        model = CueMedia
        fields = []
