from django.db import migrations
from django.db.models import Max
from django.utils import timezone


def start_cursor(apps, schema_editor):
    # Events are made for changes from now on, not for the journal's history.
    ChangeLog = apps.get_model("runcms", "ChangeLog")
    Cursor = apps.get_model("webhooks", "Cursor")
    position = ChangeLog.objects.aggregate(position=Max("id"))["position"] or 0
    Cursor.objects.get_or_create(pk=1, defaults={"position": position, "checked_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("runcms", "0004_documents"),
    ]

    operations = [migrations.RunPython(start_cursor, migrations.RunPython.noop)]
