from django.db import migrations, models


def forget_documents(apps, schema_editor):
    # Documents are rendered again when read; those stored so far were all in the default language,
    # by serializers that had no `language` yet.
    apps.get_model("runcms", "Document").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("runcms", "0004_documents"),
    ]

    operations = [
        migrations.RunPython(forget_documents, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="document", name="one_document_per_object"),
        migrations.AddField(
            model_name="document",
            name="language",
            field=models.CharField(default="", max_length=15),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("collection", "object_id", "language"), name="one_document_per_object_and_language"
            ),
        ),
    ]
