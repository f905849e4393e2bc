"""The city-wide sharing box of a ward's good practice, on the improvement's own page:
{% load practices_tags %}{% citywide_sharing improvement %}."""

from django import template

from takatsu_portal.accounts.permissions import user_may

register = template.Library()


@register.inclusion_tag("plans/practices/_sharing.html", takes_context=True)
def citywide_sharing(context, improvement):
    user = context["request"].user
    return {
        "improvement": improvement,
        "can_share": user_may(user, "plans.share_practice", improvement),
        "csrf_token": context.get("csrf_token"),
    }
