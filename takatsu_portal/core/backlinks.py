"""Links back to a record from the apps that refer to it, without the record's app knowing
them: an app registers a provider for a model ("plans.proposal") that returns the
(label, url) pairs of its records pointing at one object, and the object's page lists them
with `{% backlinks obj as links %}` (templatetags/portal.py). Inspections use it so that a
proposal made from a finding links back to the finding while plans imports nothing of
inspections."""

from dataclasses import dataclass

_providers: dict[str, list] = {}


@dataclass(frozen=True)
class Backlink:
    label: str
    url: str
    area: str = ""


def register(model_label, provider):
    """`provider(obj)` returns a list of Backlink for `obj` (a small, fixed number of queries)."""
    providers = _providers.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)
    return provider


def links_for(obj):
    label = obj._meta.label_lower
    links = []
    for provider in _providers.get(label, []):
        links.extend(provider(obj))
    return links
