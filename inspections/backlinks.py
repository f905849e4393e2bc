"""The proposal page's link back to the finding it was made from (core.backlinks)."""

from takatsu_portal.core.backlinks import Backlink, register

from .models import Finding


def finding_of_proposal(proposal):
    # The finding the proposal in hand was made from (a reverse one-to-one, core/scoping.py).
    finding = (
        Finding._base_manager.filter(proposal=proposal).select_related("place", "item").first()
    )
    if finding is None:
        return []
    return [
        Backlink(
            label=str(finding), url=finding.get_absolute_url(), area="バリアフリー点検の指摘事項"
        )
    ]


register("plans.proposal", finding_of_proposal)
