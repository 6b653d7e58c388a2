"""Example cue media for the OpenAPI schema, shaped as the API answers."""

from runcms.api.examples import BASE, PUBLISHED, TEXT_LANGUAGE, UPDATED, example

MEDIA = {
    "id": "3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f", "kind": "image", "title": "Heel to hip",
    "alt_text": "Runner lying face down pulling one heel to the hip", "caption": "", "credit": "Photo: Jane Doe",
    "licence": "CC BY 4.0", "width": 1600, "height": 1200, "duration_seconds": None,
    "mime_type": "image/jpeg", "bytes": 284113,
    "sha256": "e6b9325ac965e36aeb22506c984f898d5cd1c7da1c1cdc309be73b0f35a7517a",
    "url": f"{BASE}/media/media/5a1e0c.jpg", "poster": None,
    "renditions": [
        {"name": "w640", "width": 640, "height": 480, "format": "webp",
         "url": f"{BASE}/media/renditions/77c1.webp", "bytes": 30211,
         "sha256": "7c495284d9865296102526f02fbf8e99b0ac8848460d9fb1b6953fd112ac17ee"},
    ],
    "placeholder": "data:image/webp;base64,UklGRh4AAABXRUJQVlA4...", "dominant_color": "#c85028",
    "focal_point": {"x": 0.5, "y": 0.4},
    **TEXT_LANGUAGE, "updated_at": UPDATED, "published_at": PUBLISHED,
}

MEDIA_EXAMPLES = [example("Photo", MEDIA)]
