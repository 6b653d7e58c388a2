"""The demo content: its text and data (`content`), the diagrams it shows (`figures`).

Loaded by `manage.py demo`; `manage.py quickstart` runs it on an empty site.
"""
