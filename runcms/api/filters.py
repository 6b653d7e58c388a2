"""Filters every content list shares: `updated_since`, and a full-text `search` (see `runcms.search`)."""

import re
from datetime import UTC, datetime, time

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from runcms import changelog, sync
from runcms.search import search

# A date, optionally with a time (seconds, fraction) and an offset: RFC 3339's date-time, and the
# ISO 8601 forms it leaves out that the filter takes as well (a date alone, a time without offset).
ISO_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)


class IsoDateTimeField(forms.Field):
    default_error_messages = {
        # No percent sign: django-filter %-formats the message.
        "invalid": "Enter an ISO 8601 date and time, e.g. 2026-05-01T12:00:00Z. "
        "In a URL, a + in the time zone must be percent-encoded; or give the time in UTC with Z.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None  # `updated_since=`: no filter, as the schema's allowEmptyValue says
        parsed = None
        # Only the extended forms the schema describes: Python would also read week dates,
        # `20260501` and other scripts' digits, which a client never meant as a time.
        if isinstance(value, str) and ISO_DATE_TIME.fullmatch(value):
            try:
                parsed = parse_datetime(value.upper())  # RFC 3339 allows a lower-case t and z
                if parsed is None and (day := parse_date(value)) is not None:
                    parsed = datetime.combine(day, time.min)
            except ValueError:
                parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            return parsed.replace(tzinfo=UTC)  # naive times are UTC
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            # A valid time within a day of year 1 or 9999 that UTC cannot hold: the first or last moment.
            return (datetime.min if parsed.year == 1 else datetime.max).replace(tzinfo=UTC)


class BooleanField(forms.Field):
    """`true` or `false` (`1` or `0`), in any case; empty means no filter, anything else is an error."""

    default_error_messages = {"invalid": "Enter true or false."}
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        value = value.strip().lower() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if value not in self.VALUES:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return self.VALUES[value]


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's, without quietly ignoring a value it cannot read (`featured=bogus`)."""

    field_class = BooleanField


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """Items that may look different since this time: saved, changed through a related row, or gone live.

    Related rows count (a renamed category, a new step) because every change is logged
    by the sync framework; so do schedules that passed on a related item without a save
    (a program's drill went live, a drill's photo with it), found as a delta sync finds them.
    """

    field_class = IsoDateTimeField

    def __init__(self, collection, **kwargs):
        kwargs.setdefault(
            "label",
            "Only items changed at or after this ISO 8601 time (edited, changed through something "
            "they show, or gone live). A time without offset is UTC; a date alone is its midnight UTC.",
        )
        super().__init__(**kwargs)
        self.collection = collection

    def filter(self, queryset, value):
        if value is None:
            return queryset
        changed = Q(updated_at__gte=value) | Q(pk__in=changelog.changed_ids(self.collection, value))
        if any(f.name == "publish_at" for f in queryset.model._meta.get_fields()):
            changed |= Q(publish_at__gte=value)  # went live by its schedule, unsaved
        # A few queries whatever the page size; a schedule passing exactly at `value` was
        # already visible to a client that read at `value`, as in a delta sync.
        scheduled = sync.scheduled_ids(self.collection, value, timezone.now())
        if scheduled:
            changed |= Q(pk__in=list(scheduled))
        return queryset.filter(changed)


class SearchFilter(django_filters.CharFilter):
    """Words to find, as `runcms.search` finds them for every surface (the site's search too)."""

    def filter(self, queryset, value):
        return search(queryset, value)
