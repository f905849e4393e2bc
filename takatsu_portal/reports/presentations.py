"""Where a report version was put before a body that decides on it (the council's meetings).

The floor keeps report versions; the app that holds the meetings registers a provider here, so
that the reports pages can say where a version was presented without importing that app. A
provider is an object with two methods, each one query:

- `recent(user, limit)`: the latest presentations at the user's office, newest first;
- `of_version(version)`: every presentation of one version, oldest first.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Presentation:
    url: str  # the agenda item on the meeting's page
    where: str  # the meeting and the item: 「第2回区企画調整会議（2026年5月20日）計画の承認」
    held_on: date
    version: object  # the ReportVersion presented
    outcome: str  # the decision, or 「未決」


_providers = []


def register(provider):
    _providers.append(provider)
    return provider


def recent(user, limit=20):
    found = [p for provider in _providers for p in provider.recent(user, limit)]
    return sorted(found, key=lambda p: p.held_on, reverse=True)[:limit]


def of_version(version):
    found = [p for provider in _providers for p in provider.of_version(version)]
    return sorted(found, key=lambda p: p.held_on)
