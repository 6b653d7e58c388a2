"""Editorial roles and the publish permission.

Publishing is a permission of its own per content type, `publish_<model>` (each publishable
model lists "publish" in `Meta.default_permissions`). Three groups hold the roles, created by
data migrations (each app grants its own models, so this module knows no app) and editable in
the admin like any group:

- Contributor: views, adds and changes content in draft, and submits it for review;
- Publisher: a contributor who also publishes, schedules, unpublishes and deletes;
- Administrator: every permission of the content apps, plus users and groups.
"""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions

CONTRIBUTOR, PUBLISHER, ADMINISTRATOR = "Contributor", "Publisher", "Administrator"
ROLES = (CONTRIBUTOR, PUBLISHER, ADMINISTRATOR)

# The fields only a publisher may set: together they decide when the public sees an item.
WORKFLOW_FIELDS = ("status", "publish_at", "unpublish_at")


def publish_permission(model):
    """The permission name a user needs to publish `model`, as `user.has_perm()` takes it."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename('publish', opts)}"


def may_publish(user, model):
    return user.has_perm(publish_permission(model))


def grant_roles(apps, app_label, *, content=(), parts=(), taxonomy=()):
    """Give the roles their permissions on the models of `app_label`; for data migrations.

    `content`: publishable models (a contributor adds and changes them, a publisher also
    publishes and deletes); `parts`: rows edited inside content forms (steps, cues: whoever
    changes the content adds and removes them); `taxonomy`: terms (a contributor adds and
    renames, a publisher deletes). The Administrator gets every permission of the app.
    Running it again changes nothing.
    """
    _create_permissions(apps, app_label)
    contributor = {"view", "add", "change"}
    rules = {
        CONTRIBUTOR: [(content, contributor), (parts, contributor | {"delete"}), (taxonomy, contributor)],
        PUBLISHER: [
            (content, contributor | {"delete", "publish"}),
            (parts, contributor | {"delete"}),
            (taxonomy, contributor | {"delete"}),
        ],
    }
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label=app_label)
    for role, grants in rules.items():
        codenames = [f"{action}_{model}" for models, actions in grants for model in models for action in actions]
        _group(apps, role).permissions.add(*in_app.filter(codename__in=codenames))
    _group(apps, ADMINISTRATOR).permissions.add(*in_app)


def create_roles(apps):
    """The three groups, the Administrator with users and groups; for the data migration."""
    _create_permissions(apps, "auth")
    for role in ROLES:
        _group(apps, role)
    Permission = apps.get_model("auth", "Permission")
    _group(apps, ADMINISTRATOR).permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", content_type__model__in=["user", "group"])
    )


def _group(apps, name):
    return apps.get_model("auth", "Group").objects.get_or_create(name=name)[0]


def _create_permissions(apps, app_label):
    # Django creates permissions after all migrations have run; a data migration that grants
    # them on a new database has to create them first.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = getattr(app_config, "models_module", None) or True
    create_permissions(app_config, verbosity=0, apps=apps)
