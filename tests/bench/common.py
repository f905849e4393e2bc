"""What the bench scripts share: progress lines, failing with a message, and whole-number
settings from the environment."""

import os
import sys


def log(message):
    print(f"==> {message}", flush=True)


def fail(message):
    print(f"bench: error: {message}", file=sys.stderr)
    sys.exit(1)


def whole_number(name, default):
    """The environment variable `name` as a positive whole number (`default` when unset)."""
    value = os.environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        fail(f"{name} must be a positive whole number, not {value!r}")
    return int(value)
