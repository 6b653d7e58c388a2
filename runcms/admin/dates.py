"""Dates and times in admin list columns, written as every other admin date is
(runcms/formats: "2026-06-01 12:00")."""

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html


def list_time(moment):
    """`moment` for a list column: a <time> that wraps between the date and the time only."""
    if moment is None:
        return None  # the admin's "-"
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}"><span class="nowrap">{}</span> <span class="nowrap">{}</span></time>',
        local.replace(microsecond=0).isoformat(), date_format(local, "DATE_FORMAT"), time_format(local, "TIME_FORMAT"),
    )
