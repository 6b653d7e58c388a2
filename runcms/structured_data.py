"""schema.org JSON-LD for search engines: the part every page's data shares.

Each type's page says what it is (`HowTo` for drills, `Article` for articles); this
module is the one place that knows the JSON-LD frame around it and which properties a
page leaves out when they are empty.
"""

CONTEXT = "https://schema.org"


def structured_data(kind, properties, **optional):
    """A schema.org `kind` with `properties`, then each of `optional` that has a value, in the order given."""
    data = {"@context": CONTEXT, "@type": kind, **properties}
    data.update((name, value) for name, value in optional.items() if value)
    return data


def image_url(meta):
    """The absolute address of the picture a page shares (see `runcms.pages.page_meta`), or None."""
    return meta["image"] and meta["image"]["url"]
