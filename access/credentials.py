"""The credentials record every authentication scheme hands the views as `request.auth`."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApiCredentials:
    scheme: str  # "basic" or "oauth1"
    consumer: object  # consumers.models.Consumer
    scopes: tuple = field(default_factory=tuple)
    token: object = None  # the OAuth access token, None for Basic
