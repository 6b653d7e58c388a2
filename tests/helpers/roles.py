"""The editorial groups as the migrations make them, also after a test emptied the database."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group

# The data migrations that create the groups and grant each app's permissions.
ROLE_MIGRATIONS = (
    ("runcms.migrations.0006_roles", "create"),
    ("drills.migrations.0008_publish_permission", "grant"),
    ("articles.migrations.0008_publish_permission", "grant"),
)


def ensure_roles():
    # A transactional test (a browser test's live server) empties every table, groups included;
    # Django makes the permissions again, the groups are the migrations' to make.
    if Group.objects.filter(name="Publisher", permissions__codename="publish_article").exists():
        return
    for module, function in ROLE_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
