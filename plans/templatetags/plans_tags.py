from django import template

register = template.Library()

SUBNAV = [
    ("plans", "年度計画", "plans:index"),
    ("projects", "事業", "plans:project_list"),
    ("proposals", "事業企画案", "plans:proposal_list"),
    ("improvements", "個別業務の改善", "plans:improvement_list"),
    ("working_groups", "ワーキンググループ", "plans:working_group_list"),
    ("council", "区企画調整会議", "plans:meeting_list"),
]


@register.inclusion_tag("plans/_subnav.html")
def plans_subnav(active):
    """The tabs of the plans area: {% plans_subnav "projects" %}."""
    return {"plans_subnav": SUBNAV, "plans_active": active}
