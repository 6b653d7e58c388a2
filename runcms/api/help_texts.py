"""Help texts of the fields every API object carries, written once for every app's schema."""

ID = "Stable id (UUID): it never changes, whatever else does."
UPDATED = "When this item was last saved."
PUBLISHED = "When the public could first see it."
# A draft opened with a preview token may never have been published.
PUBLISHED_OR_DRAFT = f"{PUBLISHED} Null only in a preview of a draft that was never published."
