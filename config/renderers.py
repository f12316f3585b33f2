"""The API's JSON renderer."""

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, except that a lone UTF-16 surrogate in the data (text stored
    before ``config.parsers`` refused it) is written as its ``\\u`` escape instead of failing
    to encode as UTF-8, which would be a 500 on every response that shows it."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True
            return super().render(data, accepted_media_type, renderer_context)
