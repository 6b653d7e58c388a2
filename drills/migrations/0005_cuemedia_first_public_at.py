from django.db import migrations, models
from django.db.models import Min


def backfill(apps, uses):
    """Media used by an item that has a first publication date was public (or will be) from then.

    As before this field existed, so apps that hold such media are still told to drop it.
    """
    CueMedia = apps.get_model("drills", "CueMedia")
    for path in uses:
        rows = CueMedia.objects.annotate(first=Min(f"{path}__first_published_at")).filter(first__isnull=False)
        for media_id, first, known in rows.values_list("pk", "first", "first_public_at"):
            if known is None or first < known:
                CueMedia.objects.filter(pk=media_id).update(first_public_at=first)


def backfill_drill_uses(apps, schema_editor):
    backfill(apps, ["drill_links__drill", "steps__drill", "cues__drill", "program_covers"])


class Migration(migrations.Migration):

    dependencies = [
        ("drills", "0004_sensible_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="cuemedia",
            name="first_public_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill_drill_uses, migrations.RunPython.noop),
    ]
