"""The drill side of sitemap.xml: the drill list page, published drills and programs."""

from drills.models import Drill, Program
from runcms.sitemaps import published_sitemap, register_page, register_sitemap


def register():
    register_page("drill-list")
    register_sitemap("drills", published_sitemap(Drill))
    register_sitemap("programs", published_sitemap(Program))
