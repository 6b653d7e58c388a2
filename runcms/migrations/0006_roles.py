"""The editorial roles as groups: Contributor, Publisher, Administrator (see runcms.roles).

Each app's migrations grant the roles their permissions on its models.
"""

from django.db import migrations

from runcms.roles import create_roles


def create(apps, schema_editor):
    create_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("runcms", "0005_document_language"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
