from runcms.sitemaps import registered_sitemaps


def test_the_apps_register_their_sitemap_sections_pages_first_then_by_name():
    sections = registered_sitemaps()

    assert list(sections) == ["pages", "articles", "drills", "programs", "topics"]
    assert sorted(sections["pages"]().items()) == ["article-list", "drill-list", "home"]
