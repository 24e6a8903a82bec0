"""The API's request parsers."""

from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 32


def _depth_within(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return True


class BoundedJSONParser(parsers.JSONParser):
    """JSON nested at most MAX_JSON_DEPTH deep: deeper (100,000 brackets would exhaust the parser's
    recursion) is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(f"The JSON is nested more than {MAX_JSON_DEPTH} deep") from exc
        if not _depth_within(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(f"The JSON is nested more than {MAX_JSON_DEPTH} deep")
        return data
