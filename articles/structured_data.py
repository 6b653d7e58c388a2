"""schema.org JSON-LD for search engines: `Article` for articles."""

from runcms.structured_data import image_url, structured_data


def article_data(article, meta, *, sources, topics):
    url = meta["canonical"]
    image = image_url(meta)
    return structured_data(
        "Article",
        {
            "headline": article.title,
            "description": article.summary,
            "url": url,
            "mainEntityOfPage": url,
            "author": {"@type": "Person", "name": article.author.name},
            "datePublished": article.first_published_at,
            "dateModified": article.updated_at,
            "timeRequired": f"PT{article.reading_minutes}M",
        },
        image=image and [image],
        keywords=[topic.name for topic in topics],
        citation=[_citation(source) for source in sources],
    )


def _citation(source):
    citation = {"@type": "CreativeWork", "name": source.title}
    if source.author:
        citation["author"] = source.author
    if source.url:
        citation["url"] = source.url
    return citation
