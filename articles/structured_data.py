"""schema.org JSON-LD for search engines: `Article` for articles, `HowTo` for drills."""

CONTEXT = "https://schema.org"


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


def drill_data(drill, *, url, image_url, steps, equipment):
    data = {
        "@context": CONTEXT,
        "@type": "HowTo",
        "name": drill.title,
        "description": drill.summary,
        "url": url,
        "step": [
            {"@type": "HowToStep", "position": number, "text": step.text, "url": f"{url}#step-{number}"}
            for number, step in enumerate(steps, start=1)
        ],
    }
    if image_url:
        data["image"] = image_url
    if equipment:
        data["tool"] = [{"@type": "HowToTool", "name": item.name} for item in equipment]
    return data
