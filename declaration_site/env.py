"""Reading settings from the environment: each helper refuses a value it cannot understand
instead of guessing, so a typo in production stops the start with a message."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    """The variable as it is, or `default` when it is not set."""
    return os.environ.get(name, default)


def env_bool(name, default=False):
    """true/false, yes/no, on/off or 1/0 in any case; anything else is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    """A whole number; `default` when unset or blank."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    """Comma-separated values, blanks dropped: "a.org, b.org" -> ["a.org", "b.org"]."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
