"""Publishing is a permission of its own; the editorial roles get theirs on this app's models."""

from django.db import migrations

from runcms.roles import grant_roles


def grant(apps, schema_editor):
    grant_roles(
        apps,
        "articles",
        content=["article"],
        parts=["source"],
        taxonomy=["topic", "author"],
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_translations'),
        ('runcms', '0006_roles'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='article',
            options={'default_permissions': ('add', 'change', 'delete', 'view', 'publish'), 'ordering': ['-first_published_at', '-created_at']},
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
