"""'What needs my attention' on the home page.

Each app registers a provider: a function of the user that returns a list of AttentionItem
(and runs a fixed, small number of queries). The home page shows them all, most urgent first.
"""

from dataclasses import dataclass

from django.urls import reverse

LEVEL_ORDER = {"danger": 0, "warning": 1, "info": 2}
LEVEL_LABEL = {"danger": "期限超過", "warning": "要対応", "info": "お知らせ"}
_providers = []


@dataclass(frozen=True)
class AttentionItem:
    title: str
    url: str
    detail: str = ""
    level: str = "info"
    area: str = ""

    @property
    def level_label(self):
        return LEVEL_LABEL[self.level]


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def items_for(user):
    items = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda item: LEVEL_ORDER[item.level])


@register
def staff_without_section(user):
    """Administrators: staff accounts that belong to no section cannot be given section work."""
    if not user.has_perm("portal.admin_site"):
        return []
    from django.contrib.auth import get_user_model

    count = get_user_model().objects.filter(is_active=True, section__isnull=True).count()
    if not count:
        return []
    return [
        AttentionItem(
            title=f"所属課が未設定の職員が{count}名います",
            url=reverse("admin:accounts_user_changelist") + "?section__isempty=1",
            detail="所属課を設定すると、課ごとの集計や権限が正しく働きます。",
            level="warning",
            area="管理",
        )
    ]
