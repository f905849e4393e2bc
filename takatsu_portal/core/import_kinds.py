"""The registry of import kinds (core/imports.py): what an app imports, who may, its check and
write functions, its links and limits. Apps register theirs in AppConfig.ready; apart from
imports.py so that the job's model can name its kind without importing the services."""

from collections.abc import Callable
from dataclasses import dataclass

from . import tabular


@dataclass(frozen=True)
class ImportKind:
    """What an app imports. `check(job, data, progress)` returns a `Checked` (or raises
    tabular.ImportRefused for the file as a whole); `write(job, data, progress)` checks again
    and writes, inside the transaction the floor opens, returning a `Written` (or raising
    `Recheck` with a new preview when the check no longer holds)."""

    key: str
    label: str
    permission: str
    refusal: str
    office_of: Callable[[dict], int]
    check: Callable
    write: Callable
    # (label, url) of what the file goes into, and of the page to see the imported data.
    target: Callable
    done_link: Callable
    upload_url: Callable
    # Further checks when a job is confirmed (a plan closed since): raise PermissionDenied.
    authorize: Callable | None = None
    # The permission to read the file's rows in the preview (residents' free text), when
    # seeing the job is not enough; `rows_refusal` says who may.
    rows_permission: str | None = None
    rows_refusal: str = ""
    # () -> (bytes, rows) a file may hold; read when a file comes (settings may set them).
    limits: Callable = lambda: (tabular.MAX_BYTES, tabular.MAX_ROWS)  # noqa: E731


REGISTRY: dict[str, ImportKind] = {}


def register(kind):
    REGISTRY[kind.key] = kind
    return kind


def get_kind(key):
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValueError(f"unknown import kind: {key!r}") from None
