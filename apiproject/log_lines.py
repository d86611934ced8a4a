"""How log lines are written (`LOG_FORMAT`): one JSON object a line for log collectors, or text.

Imports nothing of Django, so gunicorn's own logger (`gunicorn.conf.py`) writes the same JSON lines.
"""
import json
import logging
from datetime import datetime, timezone

# What the access line (`apiproject.access_log`) adds to its record, in this order.
REQUEST_FIELDS = ("method", "path", "route", "scheme", "outcome", "status", "latency_ms", "client")


class JsonLines(logging.Formatter):
    """time, level, logger, message and request ID on every line; a request's fields when the record
    has them; the traceback as one string. json.dumps escapes newlines: one record, one line."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
        }
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


class TextLines(logging.Formatter):
    """The message as it always read, followed by the request ID when there is one."""

    def formatMessage(self, record):
        text = super().formatMessage(record)
        request_id = getattr(record, "request_id", "")
        return f"{text} [request {request_id}]" if request_id else text
