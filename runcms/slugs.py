"""Old-slug memory (rule 5): a renamed item answers its old slug with a redirect, for good.

Recorded by a `pre_save` signal rather than in each view or admin, so every path that
saves (admin, import, shell) remembers the old slug. An old slug stays with its item:
another item of the same type cannot take it (`SlugHistory.validate_unique` says so in
the form, and the signal refuses any other save) until an editor releases it from the
item that had it (the admin's "old addresses" of that item), which deletes its `OldSlug`.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.http import Http404

from runcms.models import OldSlug


class SlugMoved(Exception):
    """The slug asked for is an old one; `current_slug` is where the item lives now."""

    def __init__(self, obj):
        super().__init__(obj.slug)
        self.obj = obj
        self.current_slug = obj.slug


class SlugHistory:
    """For models with slug history: refuses, as a validation error on `slug`, a slug another item retired."""

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if not exclude or "slug" not in exclude:
            check_slug_is_free(self)


def retired_by_another(instance):
    """The other item of `instance`'s type whose old slug `instance.slug` is, or None.

    Only when `instance` takes the slug (new, or renamed to it): an item that took one
    before old slugs stayed with their item can still be saved as it is.
    """
    if not instance.slug or _stored_slug(instance) == instance.slug:
        return None
    return _owner_of_old_slug(instance)


def check_slug_is_free(instance):
    """Raise a ValidationError on `slug` naming the item whose old slug this is, if another item had it."""
    _refuse(instance, retired_by_another(instance))


def _stored_slug(instance):
    return instance._meta.concrete_model._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _owner_of_old_slug(instance):
    model = instance._meta.concrete_model
    old = OldSlug.objects.filter(content_type=ContentType.objects.get_for_model(model), slug=instance.slug)
    owner_id = old.exclude(object_id=instance.pk).values_list("object_id", flat=True).first()
    return owner_id and model._default_manager.filter(pk=owner_id).first()


def _refuse(instance, owner):
    if not owner:
        return
    raise ValidationError(
        {
            "slug": ValidationError(
                "“%(slug)s” was the address of the %(name)s “%(owner)s” (now at “%(current)s”), and its old "
                "links still lead there. Choose another slug, or release “%(slug)s” from “%(owner)s” first: "
                "open it and delete the address under “Old addresses”.",
                code="retired_slug",
                params={
                    "slug": instance.slug, "name": instance._meta.verbose_name, "owner": owner, "current": owner.slug,
                },
            )
        }
    )


def _remember_old_slug(sender, instance, raw=False, **kwargs):
    previous = _stored_slug(instance)
    if previous == instance.slug:
        return
    if not raw:
        # The form said so already; this catches every other path (shell, scripts, imports).
        # A raw save (a restored revision, a backup) writes back what was, and is checked before.
        _refuse(instance, _owner_of_old_slug(instance))
    if previous is None:
        return
    # Raw saves count too: restoring a revision with an older slug must keep today's address working.
    content_type = ContentType.objects.get_for_model(sender)
    OldSlug.objects.update_or_create(
        content_type=content_type, slug=previous, defaults={"object_id": instance.pk}
    )
    # The item took back a slug it once had: that slug is current again, not old. Another
    # item's old slug stays theirs (a raw save may still bring back a slug it took before).
    OldSlug.objects.filter(content_type=content_type, slug=instance.slug, object_id=instance.pk).delete()


def track_slug_history(model):
    """Register a model with a `slug` field (and `SlugHistory` among its bases); used as a class decorator."""
    pre_save.connect(_remember_old_slug, sender=model, dispatch_uid=f"slug-history-{model._meta.label}")
    return model


def get_by_slug(queryset, slug):
    """The item of `queryset` with this slug.

    Raises `SlugMoved` when `slug` is an old slug of an item still in `queryset` (the
    caller redirects), and `Http404` otherwise. A current slug wins over an old one: the
    two meet only where an item took another's old slug before old slugs stayed with their item.
    """
    item = queryset.filter(slug=slug).first()
    if item is not None:
        return item
    object_id = _old_slugs(queryset.model, [slug]).values_list("object_id", flat=True).first()
    if object_id is not None:
        moved = queryset.filter(pk=object_id).first()
        if moved is not None:
            raise SlugMoved(moved)
    raise Http404(f"No {queryset.model._meta.verbose_name} is published at “{slug}”.")


def get_many_by_slug(queryset, slugs):
    """{slug: item} for the slugs found in `queryset`, following old slugs, in a few queries.

    A current slug wins over an old one, as in `get_by_slug`; a slug found nowhere is left out.
    """
    slugs = set(slugs)
    found = {item.slug: item for item in queryset.filter(slug__in=slugs)}
    missing = slugs - found.keys()
    if missing:
        moved = dict(_old_slugs(queryset.model, missing).values_list("slug", "object_id"))
        if moved:
            current = queryset.in_bulk(set(moved.values()))
            found.update({old: current[pk] for old, pk in moved.items() if pk in current})
    return found


def _old_slugs(model, slugs):
    return OldSlug.objects.filter(content_type=ContentType.objects.get_for_model(model), slug__in=slugs)
