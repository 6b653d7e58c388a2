"""Old-slug memory (rule 5): a renamed item answers its old slug with a redirect.

Recorded by a `pre_save` signal rather than in each view or admin, so every path that
saves (admin, import, shell) remembers the old slug.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.http import Http404

from runcms.models import OldSlug


class SlugMoved(Exception):
    """The slug asked for is an old one; `current_slug` is where the item lives now."""

    def __init__(self, obj):
        super().__init__(obj.slug)
        self.obj = obj
        self.current_slug = obj.slug


def _remember_old_slug(sender, instance, raw=False, **kwargs):
    # Raw saves count too: restoring a revision with an older slug must keep today's address working.
    if instance.pk is None:
        return
    previous = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if previous is None or previous == instance.slug:
        return
    content_type = ContentType.objects.get_for_model(sender)
    OldSlug.objects.update_or_create(
        content_type=content_type, slug=previous, defaults={"object_id": instance.pk}
    )
    # The item took back a slug it once had: that slug is current again, not old.
    OldSlug.objects.filter(content_type=content_type, slug=instance.slug).delete()


def track_slug_history(model):
    """Register a model with a `slug` field; used as a class decorator."""
    pre_save.connect(_remember_old_slug, sender=model, dispatch_uid=f"slug-history-{model._meta.label}")
    return model


def get_by_slug(queryset, slug):
    """The item of `queryset` with this slug.

    Raises `SlugMoved` when `slug` is an old slug of an item still in `queryset` (the
    caller redirects), and `Http404` otherwise. A current slug always wins over an old one.
    """
    item = queryset.filter(slug=slug).first()
    if item is not None:
        return item
    content_type = ContentType.objects.get_for_model(queryset.model)
    object_id = (
        OldSlug.objects.filter(content_type=content_type, slug=slug).values_list("object_id", flat=True).first()
    )
    if object_id is not None:
        moved = queryset.filter(pk=object_id).first()
        if moved is not None:
            raise SlugMoved(moved)
    raise Http404(f"No {queryset.model._meta.verbose_name} is published at “{slug}”.")
