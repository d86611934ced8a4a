"""Small readers for configuration that comes from the environment (see CONTRACT.md)."""
import os

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name, default=False):
    """A boolean variable: 1/true/yes/on (any case) is on, anything else off."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name, default):
    """A comma-separated variable, blanks dropped."""
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]
