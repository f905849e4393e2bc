"""Working groups: the subcommittee sets them up, edits and dissolves them; a group's lead edits
its purpose and members only; everyone else reads; another office sees nothing."""

import datetime
import re

import pytest
from django.urls import reverse

from plans.models import WorkingGroup
from takatsu_portal.accounts.roles import Role, assign_role
from tests.factories import UserFactory

LIST = reverse("plans:working_group_list")
CREATE = reverse("plans:working_group_create")


def edit_url(group):
    return reverse("plans:working_group_edit", args=[group.pk])


def detail_url(group):
    return reverse("plans:working_group_detail", args=[group.pk])


def new_group_data(people, **overrides):
    data = {
        "name": "窓口案内検討ワーキング",
        "kind": WorkingGroup.Kind.ISSUE_STUDY,
        "purpose": "総合案内の混雑を解消する方法を検討する。",
        "lead": people.lead.pk,
        "members": [people.staff.pk, people.lead.pk],
        "established_on": "2026-05-01",
        "dissolved_on": "",
    }
    data.update(overrides)
    return data


def full_edit_data(group, **overrides):
    data = {
        "name": group.name,
        "kind": group.kind,
        "purpose": group.purpose,
        "lead": group.lead_id,
        "members": [m.pk for m in group.members.all()],
        "established_on": group.established_on.isoformat(),
        "dissolved_on": group.dissolved_on.isoformat() if group.dissolved_on else "",
        "version": group.version,
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# List


def test_staff_see_the_offices_groups_active_first_with_counts(client, people, group, other_group):
    group.members.set([people.staff, people.lead])
    other_group.dissolved_on = datetime.date(2026, 9, 30)
    other_group.save()
    client.force_login(people.staff)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = list(response.context["page_obj"].object_list)
    assert rows == [group, other_group]
    assert rows[0].member_count == 2
    assert rows[0].project_count == 0
    html = response.content.decode()
    assert "窓口改善ワーキング" in html
    assert "解散（2026年9月30日）" in html
    assert "設置する" not in html


def test_the_list_filters_by_kind_and_status(client, people, group, other_group):
    other_group.kind = WorkingGroup.Kind.ISSUE_STUDY
    other_group.dissolved_on = datetime.date(2026, 9, 30)
    other_group.save()
    client.force_login(people.staff)
    by_kind = client.get(LIST, {"kind": WorkingGroup.Kind.ISSUE_STUDY})
    assert list(by_kind.context["page_obj"].object_list) == [other_group]
    active = client.get(LIST, {"status": "active"})
    assert list(active.context["page_obj"].object_list) == [group]
    dissolved = client.get(LIST, {"status": "dissolved"})
    assert list(dissolved.context["page_obj"].object_list) == [other_group]


def test_the_subcommittee_sees_the_button_to_set_up_a_group(client, people):
    client.force_login(people.subcommittee)
    response = client.get(LIST)
    assert CREATE in response.content.decode()


def test_another_offices_member_sees_none_of_the_groups(client, stranger, group):
    client.force_login(stranger)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []


def test_anonymous_visitors_are_sent_to_the_login_page(client, group):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("count", [10, 500])
def test_the_list_runs_a_fixed_number_of_queries(
    client, people, office, count, django_assert_max_num_queries
):
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(
            office=office,
            name=f"ワーキング{n:03d}",
            lead=people.lead,
            established_on=datetime.date(2026, 4, 1),
            dissolved_on=datetime.date(2026, 9, 30) if n % 3 == 0 else None,
        )
        for n in range(count)
    )
    through = WorkingGroup.members.through
    through.objects.bulk_create(
        through(workinggroup=g, user=u) for g in groups for u in (people.staff, people.lead)
    )
    client.force_login(people.subcommittee)
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 30)


# ---------------------------------------------------------------------------------------------
# Create


def test_the_subcommittee_sets_up_a_group(client, people, office):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, new_group_data(people))
    group = WorkingGroup.objects.get(name="窓口案内検討ワーキング")
    assert response.status_code == 302
    assert response["Location"] == detail_url(group)
    assert group.office == office
    assert group.lead == people.lead
    assert group.kind == WorkingGroup.Kind.ISSUE_STUDY
    assert set(group.members.all()) == {people.staff, people.lead}
    assert group.version == 1
    assert group.history.first().history_user == people.subcommittee


def test_the_create_form_offers_the_offices_staff_as_a_keyboard_usable_list(
    client, people, stranger
):
    client.force_login(people.subcommittee)
    response = client.get(CREATE)
    assert response.status_code == 200
    members = response.context["form"].fields["members"]
    assert people.staff in members.queryset
    assert stranger not in members.queryset
    html = response.content.decode()
    # Checkboxes with the floor's search box (core.forms.SearchableCheckboxes), not a
    # multi-select that needs Ctrl-click.
    assert re.search(r'<input type="checkbox"[^>]*name="members"', html)
    assert 'data-choice-search="職員を絞り込む（氏名・課）"' in html
    assert "<select multiple" not in html and 'name="members" multiple' not in html
    assert "高津 太郎" in html  # staff are listed by name with their section


@pytest.mark.parametrize("role", ["staff", "lead", "council", "manager", "admin"])
def test_only_the_subcommittee_sets_up_groups(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(CREATE).status_code == 403
    response = client.post(CREATE, new_group_data(people))
    assert response.status_code == 403
    assert "推進部会の委員" in response.content.decode()
    assert not WorkingGroup.objects.exists()


def test_a_lead_without_the_working_group_lead_role_is_refused(client, people):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, new_group_data(people, lead=people.staff.pk))
    assert response.status_code == 200
    errors = response.context["form"].errors["lead"]
    assert "ワーキンググループリーダー" in errors[0]
    assert "管理者" in errors[0]
    assert not WorkingGroup.objects.exists()


def test_a_lead_from_another_office_cannot_be_chosen(client, people, stranger):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, new_group_data(people, lead=stranger.pk, members=[stranger.pk]))
    assert response.status_code == 200
    assert "lead" in response.context["form"].errors
    assert "members" in response.context["form"].errors
    assert not WorkingGroup.objects.exists()


def test_a_group_cannot_be_dissolved_before_it_was_set_up(client, people):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, new_group_data(people, dissolved_on="2026-04-30"))
    assert response.status_code == 200
    assert response.context["form"].errors["dissolved_on"] == ["解散日は設置日より前にできません。"]
    assert not WorkingGroup.objects.exists()


def test_two_groups_of_an_office_cannot_share_a_name(client, people, group):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, new_group_data(people, name=group.name))
    assert response.status_code == 200
    assert "同じ名称" in response.context["form"].errors["name"][0]
    assert WorkingGroup.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Detail


def test_staff_read_a_groups_purpose_members_and_dates(client, people, group):
    group.members.set([people.staff, people.other_lead])
    client.force_login(people.staff)
    response = client.get(detail_url(group))
    assert response.status_code == 200
    html = response.content.decode()
    assert "窓口の待ち時間を減らす。" in html
    assert str(people.other_lead) in html
    assert "保険年金課" in html
    assert "2026年4月1日" in html
    assert "活動中" in html
    assert edit_url(group) not in html


def test_a_groups_page_lists_its_projects_with_year_and_status(client, people, group, plan):
    from tests.plans.factories import ProjectFactory

    project = ProjectFactory(plan=plan, working_group=group, title="案内表示の改善")
    client.force_login(people.staff)
    response = client.get(detail_url(group))
    html = response.content.decode()
    assert project.get_absolute_url() in html
    assert "案内表示の改善" in html
    assert "計画中" in html
    assert plan.fy.label in html


@pytest.mark.parametrize("role", ["lead", "subcommittee"])
def test_the_lead_and_the_subcommittee_see_the_edit_button(client, people, group, role):
    client.force_login(getattr(people, role))
    assert edit_url(group) in client.get(detail_url(group)).content.decode()


def test_another_lead_does_not_see_the_edit_button(client, people, group):
    client.force_login(people.other_lead)
    assert edit_url(group) not in client.get(detail_url(group)).content.decode()


def test_a_group_of_another_office_is_not_found(client, stranger, group):
    client.force_login(stranger)
    assert client.get(detail_url(group)).status_code == 404
    assert client.get(edit_url(group)).status_code == 404
    assert client.post(edit_url(group), full_edit_data(group)).status_code == 404


def test_the_page_shows_the_latest_history(client, people, group):
    client.force_login(people.subcommittee)
    client.post(edit_url(group), full_edit_data(group, purpose="申請書の記入支援を検討する。"))
    response = client.get(detail_url(group))
    assert "変更履歴" in response.content.decode()
    assert response.context["history"][0].user == people.subcommittee


# ---------------------------------------------------------------------------------------------
# Edit: the lead


def test_the_lead_edits_their_groups_purpose_and_members(client, people, group):
    client.force_login(people.lead)
    response = client.post(
        edit_url(group),
        {
            "purpose": "待ち時間を半分にする。",
            "members": [people.staff.pk],
            "version": group.version,
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.purpose == "待ち時間を半分にする。"
    assert list(group.members.all()) == [people.staff]
    assert group.version == 2


def test_the_leads_form_has_no_lead_or_dissolution_fields(client, people, group):
    client.force_login(people.lead)
    response = client.get(edit_url(group))
    assert response.status_code == 200
    fields = response.context["form"].fields
    assert set(fields) == {"purpose", "members", "version"}
    html = response.content.decode()
    assert 'name="lead"' not in html
    assert 'name="dissolved_on"' not in html


def test_a_lead_posting_a_new_lead_or_a_dissolution_date_changes_neither(client, people, group):
    client.force_login(people.lead)
    response = client.post(
        edit_url(group),
        {
            "purpose": "待ち時間を半分にする。",
            "members": [people.staff.pk],
            "version": group.version,
            "lead": people.other_lead.pk,
            "dissolved_on": "2026-12-31",
            "name": "別の名前",
            "kind": WorkingGroup.Kind.ISSUE_STUDY,
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.lead == people.lead
    assert group.dissolved_on is None
    assert group.name == "窓口改善ワーキング"
    assert group.kind == WorkingGroup.Kind.PROJECT
    assert group.purpose == "待ち時間を半分にする。"


def test_a_lead_cannot_edit_another_group(client, people, group, other_group):
    client.force_login(people.lead)
    assert client.get(edit_url(other_group)).status_code == 403
    response = client.post(
        edit_url(other_group), {"purpose": "乗っ取り", "members": [], "version": 1}
    )
    assert response.status_code == 403
    assert "リーダー" in response.content.decode()
    other_group.refresh_from_db()
    assert other_group.purpose == "窓口の待ち時間を減らす。"


@pytest.mark.parametrize("role", ["staff", "council", "manager", "admin"])
def test_staff_council_and_others_only_read_groups(client, people, group, role):
    client.force_login(getattr(people, role))
    assert client.get(detail_url(group)).status_code == 200
    assert client.get(edit_url(group)).status_code == 403
    response = client.post(edit_url(group), full_edit_data(group, purpose="変更"))
    assert response.status_code == 403
    assert "推進部会の委員と、このグループのリーダー" in response.content.decode()
    group.refresh_from_db()
    assert group.purpose == "窓口の待ち時間を減らす。"


def test_a_former_lead_without_the_role_can_no_longer_edit(client, people, group, office):
    group.lead = UserFactory(section=people.staff.section, roles=[Role.STAFF])
    group.save()
    client.force_login(group.lead)
    assert client.get(edit_url(group)).status_code == 403


# ---------------------------------------------------------------------------------------------
# Edit: the subcommittee


def test_the_subcommittee_changes_the_lead(client, people, group):
    client.force_login(people.subcommittee)
    response = client.post(edit_url(group), full_edit_data(group, lead=people.other_lead.pk))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.lead == people.other_lead


def test_the_subcommittee_dissolves_an_issue_study_group(client, people, group, other_group):
    group.kind = WorkingGroup.Kind.ISSUE_STUDY
    group.save()
    client.force_login(people.subcommittee)
    response = client.post(edit_url(group), full_edit_data(group, dissolved_on="2027-03-31"))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.dissolved_on == datetime.date(2027, 3, 31)
    assert not group.is_active
    listed = client.get(LIST).context["page_obj"].object_list
    assert list(listed) == [other_group, group]
    assert "解散済み" in client.get(detail_url(group)).content.decode()


def test_the_subcommittee_cannot_give_the_group_to_someone_without_the_lead_role(
    client, people, group
):
    client.force_login(people.subcommittee)
    response = client.post(edit_url(group), full_edit_data(group, lead=people.council.pk))
    assert response.status_code == 200
    assert "ワーキンググループリーダー" in response.context["form"].errors["lead"][0]
    group.refresh_from_db()
    assert group.lead == people.lead


def test_a_save_on_top_of_someone_elses_change_is_refused_and_shows_it(client, people, group):
    loaded = full_edit_data(group)
    client.force_login(people.lead)
    client.post(edit_url(group), {"purpose": "リーダーの変更", "members": [], "version": 1})
    client.force_login(people.subcommittee)
    response = client.post(edit_url(group), {**loaded, "purpose": "部会の変更"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "他の人が先に保存した変更" in html
    assert "部会の変更" in html  # the editor's input is kept
    assert response.context["form"].data["version"] == "2"
    group.refresh_from_db()
    assert group.purpose == "リーダーの変更"
    again = client.post(edit_url(group), {**loaded, "purpose": "部会の変更", "version": 2})
    assert again.status_code == 302
    group.refresh_from_db()
    assert group.purpose == "部会の変更"


def test_a_subcommittee_member_who_leads_the_group_gets_the_full_form(client, people, group):
    assign_role(people.subcommittee, Role.WG_LEAD)
    group.lead = people.subcommittee
    group.save()
    client.force_login(people.subcommittee)
    fields = client.get(edit_url(group)).context["form"].fields
    assert "lead" in fields
    assert "dissolved_on" in fields


def test_membership_changes_show_in_the_history(client, people, group):
    client.force_login(people.lead)
    client.post(
        edit_url(group), {"purpose": group.purpose, "members": [people.staff.pk], "version": 1}
    )
    response = client.get(detail_url(group))
    assert response.status_code == 200
    changes = [c for entry in response.context["history"] for c in entry.changes]
    assert any(c.label == "メンバー" and str(people.staff) in c.new for c in changes)


def test_the_service_refuses_who_may_not_set_up_or_edit_groups(people, group, office):
    from django.core.exceptions import PermissionDenied

    from plans.working_groups import services as working_groups_services

    with pytest.raises(PermissionDenied):
        working_groups_services.working_group_save(
            group=WorkingGroup(
                office=office, name="新設", lead=people.lead, established_on=datetime.date.today()
            ),
            by=people.lead,
            members=[],
        )
    with pytest.raises(PermissionDenied):
        working_groups_services.working_group_save(group=group, by=people.other_lead, members=[])


def test_a_refused_form_opens_with_a_summary_of_what_to_fix_linking_to_each_field(client, people):
    # The floor's error summary (templates/bootstrap5/errors.html) for every crispy form.
    client.force_login(people.subcommittee)
    response = client.post(CREATE, {"name": "", "kind": "project", "purpose": ""})
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('class="alert alert-danger form-error-summary"')[1].split("</div>")[0]
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    assert "入力内容を確認してください" in summary
    assert 'href="#id_name"' in summary
    # The summary comes before the form's first field.
    assert html.index("form-error-summary") < html.index('id="id_name"')
