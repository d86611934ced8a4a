"""The JSON parser of the API, with a nesting limit: a body nested deeper than any product needs is a
400, never Python's recursion limit (a 500)."""
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_NESTING = 32
TOO_DEEP = "JSON nested too deeply."


class NestingLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # the decoder gave up before our limit could be checked
            raise ParseError(TOO_DEEP) from None
        if nesting(data) > MAX_NESTING:
            raise ParseError(TOO_DEEP)
        return data


def nesting(data):
    """How deep lists and objects nest in `data` (a scalar is 0); without recursion of its own."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest
