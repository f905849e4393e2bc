"""The council's meetings as the place where report versions are presented: registered with
the floor's `reports.presentations`, so the reports pages show where a version went."""

from takatsu_portal.reports import presentations

from ..access import meetings_for
from ..models import AgendaItem


def _presentation(item):
    meeting = item.meeting
    return presentations.Presentation(
        url=f"{meeting.get_absolute_url()}#item-{item.pk}",
        where=f"{meeting.title}（{meeting.held_on:%Y年%-m月%-d日}）{item.title}",
        held_on=meeting.held_on,
        version=item.report_version,
        outcome=item.get_decision_display(),
    )


class CouncilMeetings:
    def recent(self, user, limit):
        items = (
            AgendaItem.objects.filter(meeting__in=meetings_for(user), report_version__isnull=False)
            .select_related("meeting", "report_version", "report_version__job")
            .order_by("-meeting__held_on", "meeting_id", "order")[:limit]
        )
        return [_presentation(item) for item in items]

    def of_version(self, version):
        items = (
            version.agenda_items.all()
            .select_related("meeting")
            .order_by("meeting__held_on", "order")
        )
        return [_presentation(item) for item in items]


presentations.register(CouncilMeetings())
