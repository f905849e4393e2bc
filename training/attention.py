"""Home-page attention items of training: for each member of staff, the required courses they
still lack this fiscal year; for a section manager, how many of their section lack one and how
many applications wait for approval; for a training organiser, cancellation and move requests.
One query for staff (the office's rules), a few more for managers and organisers."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core import attention
from takatsu_portal.core.attention import AttentionItem, register

from . import compliance
from .models import Enrolment
from .stamp import training_changed


@register
def training_items(user):
    if not user.is_authenticated or user.section_id is None:
        return []
    items = []
    gaps = compliance.gaps_of(user)
    if gaps:
        overdue = any(g.overdue for g in gaps)
        names = "、".join(g.requirement.what_label for g in gaps[:3])
        first_deadline = min(g.deadline for g in gaps)
        more = "ほか" if len(gaps) > 3 else ""
        items.append(
            AttentionItem(
                title=f"受講が必要な研修が{len(gaps)}件あります",
                url=reverse("training:my_record"),
                detail=f"{names}{more}（期限 {first_deadline:%Y年%m月%d日}）",
                level="danger" if overdue else "warning",
                area="研修",
            )
        )
    roles = roles_of(user)
    if Role.SECTION_MANAGER in roles:
        missing = compliance.missing_in_section(user.section)
        if missing:
            items.append(
                AttentionItem(
                    title=f"課内で必修研修が未受講の職員が{missing}名います",
                    url=reverse("training:compliance"),
                    detail="受講状況のページで、誰がどの研修を受けていないか確認できます。",
                    level="warning",
                    area="研修",
                )
            )
        pending = (
            Enrolment.objects.for_office(user.office)
            .filter(state=Enrolment.State.PENDING, user__section_id=user.section_id)
            .count()
        )
        if pending:
            items.append(
                AttentionItem(
                    title=f"承認を待っている研修の申込みが{pending}件あります",
                    url=reverse("training:approvals"),
                    level="warning",
                    area="研修",
                )
            )
    # Training organisers (研修担当) see the requests on their courses; the subcommittee and
    # administrators who organise a course are told of each request by a notification.
    if Role.TRAINER in roles:
        requests = Enrolment.objects.filter(
            Q(cancel_requested_at__isnull=False) | Q(move_requested_to__isnull=False),
            state__in=Enrolment.ACTIVE_STATES,
            session__course__in=user.organised_courses.all(),
        ).count()
        if requests:
            items.append(
                AttentionItem(
                    title=f"研修の取消・変更の依頼が{requests}件あります",
                    url=reverse("training:index"),
                    detail="担当する研修の回のページで、依頼を確認してください。",
                    level="warning",
                    area="研修",
                )
            )
    return items


def changed_for(user_ids, *, organiser_ids=()):
    """After enrolments of `user_ids` changed (state, request, completion): compute again the
    home-page lists whose counts they move: the people's own (required courses still lacking),
    their section managers' (applications waiting, people lacking a course) and the named
    organisers' (cancellation and move requests). One query finds the managers. Training's
    shared pages (the upcoming sessions' counts, the compliance page) are made again too."""
    training_changed()
    people = {pk for pk in user_ids if pk is not None}
    if not people and not organiser_ids:
        return
    managers = set()
    if people:
        User = get_user_model()
        managers = set(
            User.objects.filter(
                groups__name=Role.SECTION_MANAGER.group_name,
                section_id__in=User.objects.filter(pk__in=people, section__isnull=False).values(
                    "section_id"
                ),
            ).values_list("pk", flat=True)
        )
    attention.changed(users=sorted(people | managers | {pk for pk in organiser_ids if pk}))
