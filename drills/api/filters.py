"""List filters of the drill and program endpoints (django-filter)."""

import django_filters
from django.db.models import Q

from drills.models import Difficulty, Drill, Program
from runcms.api.filters import BooleanFilter, SearchFilter, UpdatedSinceFilter


class DrillFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        field_name="category__slug", label="Only drills of the category with this slug."
    )
    difficulty = django_filters.ChoiceFilter(choices=Difficulty.choices, label="Only drills of this difficulty.")
    equipment = django_filters.CharFilter(
        method="filter_equipment", label="Only drills using the equipment with this slug."
    )
    muscle = django_filters.CharFilter(
        method="filter_muscle", label="Only drills working the muscle with this slug (primary or secondary)."
    )
    search = SearchFilter(
        label="Words to find in the title, summary, category, muscles, equipment, steps and cues. "
        "Results come best match first on PostgreSQL.",
    )
    updated_since = UpdatedSinceFilter(collection="drills")

    class Meta:
        model = Drill
        fields = []

    def filter_equipment(self, queryset, name, value):
        return queryset.filter(pk__in=Drill.objects.filter(equipment__slug=value).values("pk"))

    def filter_muscle(self, queryset, name, value):
        using = Drill.objects.filter(Q(primary_muscles__slug=value) | Q(secondary_muscles__slug=value))
        return queryset.filter(pk__in=using.values("pk"))


class ProgramFilter(django_filters.FilterSet):
    featured = BooleanFilter(label="Only programs featured on the home page (true) or not (false).")
    updated_since = UpdatedSinceFilter(collection="programs")

    class Meta:
        model = Program
        fields = []

