"""schema.org JSON-LD for search engines: `Article` for articles."""

from drills.structured_data import CONTEXT


def article_data(article, *, url, image_url, sources, topics):
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "author": {"@type": "Person", "name": article.author.name},
        "datePublished": article.first_published_at,
        "dateModified": article.updated_at,
        "timeRequired": f"PT{article.reading_minutes}M",
    }
    if image_url:
        data["image"] = [image_url]
    if topics:
        data["keywords"] = [topic.name for topic in topics]
    if sources:
        data["citation"] = [_citation(source) for source in sources]
    return data


def _citation(source):
    citation = {"@type": "CreativeWork", "name": source.title}
    if source.author:
        citation["author"] = source.author
    if source.url:
        citation["url"] = source.url
    return citation
