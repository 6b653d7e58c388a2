"""schema.org JSON-LD for search engines: `HowTo` for drills."""

CONTEXT = "https://schema.org"


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
