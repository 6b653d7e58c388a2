"""schema.org JSON-LD for search engines: `HowTo` for drills."""

from runcms.structured_data import image_url, structured_data


def drill_data(drill, meta, *, steps, equipment):
    url = meta["canonical"]
    return structured_data(
        "HowTo",
        {
            "name": drill.title,
            "description": drill.summary,
            "url": url,
            "step": [
                {"@type": "HowToStep", "position": number, "text": step.text, "url": f"{url}#step-{number}"}
                for number, step in enumerate(steps, start=1)
            ],
        },
        image=image_url(meta),
        tool=[{"@type": "HowToTool", "name": item.name} for item in equipment],
    )
