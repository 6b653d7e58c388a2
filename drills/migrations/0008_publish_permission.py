"""Publishing is a permission of its own; the editorial roles get theirs on this app's models."""

from django.db import migrations

from runcms.roles import grant_roles


def grant(apps, schema_editor):
    grant_roles(
        apps,
        "drills",
        content=["drill", "program", "cuemedia"],
        parts=["step", "cue", "drillmedia", "programitem"],
        taxonomy=["category", "muscle", "equipment"],
    )


class Migration(migrations.Migration):

    dependencies = [
        ('drills', '0007_translations'),
        ('runcms', '0006_roles'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='cuemedia',
            options={'default_permissions': ('add', 'change', 'delete', 'view', 'publish'), 'ordering': ['-created_at'], 'verbose_name': 'cue media', 'verbose_name_plural': 'cue media'},
        ),
        migrations.AlterModelOptions(
            name='drill',
            options={'default_permissions': ('add', 'change', 'delete', 'view', 'publish'), 'ordering': ['title']},
        ),
        migrations.AlterModelOptions(
            name='program',
            options={'default_permissions': ('add', 'change', 'delete', 'view', 'publish'), 'ordering': ['title']},
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
