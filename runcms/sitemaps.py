"""sitemap.xml, built from the sections and list pages the apps register in `ready()`.

Each app registers one section per model (`register_sitemap("drills", published_sitemap(Drill))`)
and its list pages by URL name (`register_page("drill-list")`). The sitemap lists the pages
first, by address, then the sections in name order.
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse

from runcms import languages
from runcms.links import public_base

_sections = {}
_pages = set()


class PublicSitemap(Sitemap):
    """Addresses on RUNCMS_PUBLIC_BASE_URL when set, else on the request's host.

    With several languages published, every page once per language (/de/…), each with its
    alternates in the others (hreflang) and the default language's as x-default.
    """

    @property
    def i18n(self):
        return len(languages.enabled()) > 1

    alternates = x_default = i18n

    @property
    def languages(self):
        return languages.enabled()

    def get_protocol(self, protocol=None):
        return urlsplit(public_base()).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(public_base()).netloc or super().get_domain(site)


class PublishedSitemap(PublicSitemap):
    """Every published item of `model` (rule 1), by slug, with its last change."""

    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class PagesSitemap(PublicSitemap):
    """The registered list pages (home, article list, drill list), by address."""

    def items(self):
        return sorted(_pages, key=reverse)

    def location(self, item):
        return reverse(item)


def published_sitemap(model):
    """A sitemap section of the published items of a model with `published()` and a slug."""
    return type(f"{model.__name__}Sitemap", (PublishedSitemap,), {"model": model})


def register_sitemap(name, section):
    """Add a section (a Sitemap class) to sitemap.xml; an app calls it in `ready()`."""
    _sections[name] = section


def register_page(url_name):
    """Add a page that is not an item of a section (a list page) to sitemap.xml."""
    _pages.add(url_name)


def registered_sitemaps():
    """The sections sitemap.xml serves: the pages first, then the registered ones by name."""
    return {"pages": PagesSitemap, **dict(sorted(_sections.items()))}


def sitemap_view(request, **kwargs):
    """Django's sitemap view over the registered sections."""
    return sitemap(request, sitemaps=registered_sitemaps(), **kwargs)
