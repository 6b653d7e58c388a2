"""How the admin writes dates and times, in every language: "2026-06-01 12:00".

Django takes these through FORMAT_MODULE_PATH: one module per language (`en/formats.py`, …)
that repeats the names below; names they leave out (numbers, the first day of the week) stay
the language's own. Dates and times sort as text, read the same to every
editor whatever their language, and fit a list column; Django's English "June 1, 2026, noon"
did none of these. Public pages write their dates with explicit formats and are not affected.
"""

DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
# The date drill-down above a list: "2026-06", then "2026-06-01".
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = DATE_FORMAT

# The first of each is how the date and time boxes show a value; the others are also read.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d"]



def admin_time(moment):
    """`moment` in the site's time zone, written as above: for messages, tooltips and comments."""
    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
