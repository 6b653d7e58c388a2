"""Where an item answers in API v1, in tests."""

from runcms import changelog


def collection_of(item):
    """The sync collection `item` is registered in (its name, model and serializers)."""
    name = changelog.collection_of(type(item))
    return next(c for c in changelog.collections() if c.name == name)


def detail_path(item):
    """The API detail address of `item`: by id for media, by slug for the rest."""
    name = collection_of(item).name
    return f"/api/v1/{name}/{item.pk}/" if name == "media" else f"/api/v1/{name}/{item.slug}/"
