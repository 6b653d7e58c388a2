"""The API's JSON renderer: orjson, the same encoder that renders published documents (`runcms.representation`)."""

from rest_framework import renderers

from runcms.representation import dumps


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return dumps(data)
