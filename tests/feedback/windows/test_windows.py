"""Service windows (窓口): the list, create and edit; a section manager only for their own
section, checked on the server; who may and who may not."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from feedback.models import ServiceWindow
from feedback.windows import services as windows_services
from tests.feedback.factories import WindowFactory

pytestmark = pytest.mark.django_db

LIST = reverse("feedback:window_list")
CREATE = reverse("feedback:window_create")


def edit(window):
    return reverse("feedback:window_edit", args=[window.pk])


def data(section, **overrides):
    return {
        "section": section.pk,
        "name": "証明書発行窓口",
        "location": "1階 2番",
        "is_active": "on",
        "sort_order": "3",
        "version": "1",  # the version the editor opened (ignored when registering)
        **overrides,
    }


# ---------------------------------------------------------------------------------------------
# List


def test_staff_see_the_offices_windows_by_section_active_first(client, people, windows, sections):
    WindowFactory(section=sections.kumin, name="旧窓口", is_active=False, sort_order=0)
    client.force_login(people.staff)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("区民課") < html.index("保険年金課")
    assert html.index("住民記録窓口") < html.index("旧窓口") < html.index("国民健康保険窓口")
    assert "使用停止中" in html
    assert "窓口を登録する" not in html
    assert edit(windows.jumin) not in html


def test_a_manager_sees_edit_links_for_their_own_sections_windows_only(client, people, windows):
    client.force_login(people.manager)
    html = client.get(LIST).content.decode()
    assert "窓口を登録する" in html
    assert edit(windows.jumin) in html
    assert edit(windows.hoken) not in html


def test_the_subcommittee_sees_edit_links_for_every_window(client, people, windows):
    client.force_login(people.subcommittee)
    html = client.get(LIST).content.decode()
    assert edit(windows.jumin) in html and edit(windows.hoken) in html


def test_another_offices_windows_are_not_listed(client, stranger, windows):
    client.force_login(stranger)
    html = client.get(LIST).content.decode()
    assert "住民記録窓口" not in html


@pytest.mark.parametrize("count", [5, 120])
def test_the_list_runs_a_fixed_number_of_queries(
    client, people, sections, count, django_assert_max_num_queries
):
    ServiceWindow.objects.bulk_create(
        ServiceWindow(section=sections.kumin if i % 2 else sections.hoken, name=f"窓口{i}")
        for i in range(count)
    )
    client.force_login(people.manager)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


# ---------------------------------------------------------------------------------------------
# Create


def test_the_subcommittee_registers_a_window_in_any_section(client, people, sections):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, data(sections.hoken))
    assert response.status_code == 302 and response.url == LIST
    window = ServiceWindow.objects.get(name="証明書発行窓口")
    assert window.section == sections.hoken
    assert window.location == "1階 2番" and window.sort_order == 3


def test_an_administrator_registers_a_window(client, people, sections):
    client.force_login(people.admin)
    response = client.post(CREATE, data(sections.hoken), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    window = ServiceWindow.objects.get(name="証明書発行窓口")
    assert window.section == sections.hoken and window.is_active
    assert "証明書発行窓口" in response.content.decode()


def test_a_manager_registers_a_window_of_their_own_section(client, people, sections):
    client.force_login(people.manager)
    form = client.get(CREATE).content.decode()
    assert "区民課" in form and "保険年金課" not in form
    assert client.post(CREATE, data(sections.kumin)).status_code == 302
    window = ServiceWindow.objects.get(name="証明書発行窓口")
    assert window.section == sections.kumin and window.location == "1階 2番"


def test_a_manager_cannot_register_a_window_of_another_section(client, people, sections):
    client.force_login(people.manager)
    response = client.post(CREATE, data(sections.hoken))
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not ServiceWindow.objects.filter(name="証明書発行窓口").exists()


@pytest.mark.parametrize("who", ["staff", "lead", "council"])
def test_others_may_not_register_windows(client, people, sections, who):
    client.force_login(getattr(people, who))
    response = client.get(CREATE)
    assert response.status_code == 403
    assert (
        "窓口を登録・編集できるのは推進部会の委員・課長・管理者です。" in response.content.decode()
    )
    assert client.post(CREATE, data(sections.kumin)).status_code == 403
    assert not ServiceWindow.objects.filter(name="証明書発行窓口").exists()


def test_a_window_name_is_unique_within_its_section(client, people, sections, windows):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, data(sections.kumin, name="住民記録窓口"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ServiceWindow.objects.filter(name="住民記録窓口").count() == 1
    # The same name in another section is another window.
    assert client.post(CREATE, data(sections.hoken, name="住民記録窓口")).status_code == 302
    assert ServiceWindow.objects.filter(name="住民記録窓口").count() == 2


# ---------------------------------------------------------------------------------------------
# Edit


def test_a_manager_edits_their_own_sections_window(client, people, windows, sections):
    client.force_login(people.manager)
    response = client.post(
        edit(windows.jumin), data(sections.kumin, name="住民記録窓口（転入・転出）", is_active="")
    )
    assert response.status_code == 302
    windows.jumin.refresh_from_db()
    assert windows.jumin.name == "住民記録窓口（転入・転出）"
    assert windows.jumin.is_active is False


def test_an_edit_based_on_an_older_version_is_refused_and_the_other_change_shown(
    client, people, windows, sections
):
    # The subcommittee saves first, from the version both opened.
    client.force_login(people.subcommittee)
    response = client.post(edit(windows.jumin), data(sections.kumin, location="1階 1番"))
    assert response.status_code == 302
    windows.jumin.refresh_from_db()
    assert windows.jumin.version == 2
    # The manager's save of version 1 would silently undo it: it is refused.
    client.force_login(people.manager)
    response = client.post(edit(windows.jumin), data(sections.kumin, location="1階 9番"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "他の人が先に保存した変更" in page
    assert "1階 9番" in page  # the manager's input is kept
    assert 'name="version" value="2"' in page  # saving again overwrites knowingly
    windows.jumin.refresh_from_db()
    assert (windows.jumin.location, windows.jumin.version) == ("1階 1番", 2)
    last = windows.jumin.history.first()
    assert (last.history_user, last.version) == (people.subcommittee, 2)
    # Saving again, from the version now shown, is a deliberate overwrite.
    response = client.post(
        edit(windows.jumin), data(sections.kumin, location="1階 9番", version="2")
    )
    assert response.status_code == 302
    windows.jumin.refresh_from_db()
    assert (windows.jumin.location, windows.jumin.version) == ("1階 9番", 3)


def test_an_edit_without_the_version_is_a_field_error(client, people, windows, sections):
    client.force_login(people.manager)
    payload = data(sections.kumin, location="1階 9番")
    del payload["version"]
    assert client.post(edit(windows.jumin), payload).status_code == 200
    windows.jumin.refresh_from_db()
    assert windows.jumin.location != "1階 9番"


def test_a_manager_cannot_edit_another_sections_window(client, people, windows, sections):
    client.force_login(people.manager)
    response = client.get(edit(windows.hoken))
    assert response.status_code == 403
    assert "自分の課の窓口だけ" in response.content.decode()
    response = client.post(edit(windows.hoken), data(sections.hoken, name="書き換え"))
    assert response.status_code == 403
    windows.hoken.refresh_from_db()
    assert windows.hoken.name == "国民健康保険窓口"


def test_a_manager_cannot_move_their_window_to_another_section(client, people, windows, sections):
    client.force_login(people.manager)
    response = client.post(edit(windows.jumin), data(sections.hoken, name="住民記録窓口"))
    assert response.status_code == 200
    windows.jumin.refresh_from_db()
    assert windows.jumin.section == sections.kumin


def test_the_subcommittee_edits_any_window(client, people, windows, sections):
    client.force_login(people.subcommittee)
    assert (
        client.post(edit(windows.hoken), data(sections.hoken, name="国保窓口")).status_code == 302
    )
    windows.hoken.refresh_from_db()
    assert windows.hoken.name == "国保窓口" and windows.hoken.section == sections.hoken


def test_staff_may_not_edit_a_window(client, people, windows, sections):
    client.force_login(people.staff)
    assert client.get(edit(windows.jumin)).status_code == 403
    response = client.post(edit(windows.jumin), data(sections.kumin, name="書き換え"))
    assert response.status_code == 403
    windows.jumin.refresh_from_db()
    assert windows.jumin.name == "住民記録窓口"


def test_another_offices_window_is_not_found(client, stranger, windows, sections):
    client.force_login(stranger)
    assert client.get(edit(windows.jumin)).status_code == 404
    assert client.post(edit(windows.jumin), data(sections.kumin)).status_code == 404
    windows.jumin.refresh_from_db()
    assert windows.jumin.name == "住民記録窓口"


# ---------------------------------------------------------------------------------------------
# The service checks the section itself


def test_window_save_refuses_a_manager_another_sections_window(people, sections):
    window = ServiceWindow(section=sections.hoken, name="不正な窓口")
    with pytest.raises(PermissionDenied):
        windows_services.window_save(window=window, by=people.manager)
    assert not ServiceWindow.objects.filter(name="不正な窓口").exists()


def test_window_save_refuses_a_manager_moving_a_window_out_of_another_section(
    people, windows, sections
):
    windows.hoken.section = sections.kumin
    with pytest.raises(PermissionDenied):
        windows_services.window_save(window=windows.hoken, by=people.manager)


def test_window_save_refuses_staff(people, sections):
    with pytest.raises(PermissionDenied):
        windows_services.window_save(
            window=ServiceWindow(section=sections.kumin, name="x"), by=people.staff
        )


def test_window_save_refuses_another_offices_section_even_to_the_subcommittee(stranger, sections):
    with pytest.raises(PermissionDenied):
        windows_services.window_save(
            window=ServiceWindow(section=sections.kumin, name="x"), by=stranger
        )
