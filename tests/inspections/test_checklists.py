"""Checklists edited in the portal: items added, changed, moved and removed, each change to a
version an inspection uses making the next version (the inspection keeps its own); new and
copied checklists; rules that can decide a rating (at least, at most, between, slopes as 1/N)
refused with a clear reason when they cannot."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections import services
from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion

from .conftest import item

NEW_ITEM = {
    "code": "情-20",
    "text": "音声翻訳機を窓口に用意している",
    "guidance": "外国籍の区民に、窓口で音声翻訳機を使って説明できるか確かめる。",
    "barrier": "information",
    "place_type": "counter",
    "answer_kind": "rating",
    "unit": "",
    "rule": "",
    "low": "",
    "high": "",
    "photo_expected": "on",
    "note": "音声翻訳機の項目を追加",
}


def measure(**changes):
    data = {
        **NEW_ITEM,
        "code": "物-30",
        "text": "記載台の高さ",
        "barrier": "thing",
        "answer_kind": "measure",
        "unit": "cm",
        "rule": "between",
        "low": "70",
        "high": "75",
    }
    return {**data, **changes}


def post_add(client, template, data):
    return client.post(
        reverse("inspections:item_add", args=[template.pk]), {"version": template.version, **data}
    )


def test_adding_an_item_to_a_version_in_use_makes_the_next_version(
    client, people, inspection, shipped_template
):
    client.force_login(people.subcommittee)
    before = inspection.template_version.items.count()
    response = post_add(client, shipped_template, NEW_ITEM)
    assert response.status_code == 302
    new = shipped_template.current_version
    assert new.number == 2 and new.note == "音声翻訳機の項目を追加"
    assert new.items.count() == before + 1
    added = new.items.get(code="情-20")
    others = new.items.exclude(pk=added.pk)
    assert added.photo_expected and added.order > others.latest("order").order
    # The inspection keeps version 1 without the item.
    inspection.refresh_from_db()
    assert inspection.template_version.number == 1
    assert not inspection.template_version.items.filter(code="情-20").exists()
    # The page tells which inspection uses which version.
    page = client.get(response.url).content.decode()
    assert "第2版（最新）" in page and "この版を使っている点検はありません。" in page
    page = client.get(shipped_template.get_absolute_url() + "?version=1").content.decode()
    assert inspection.title in page and "点検1件で使用" in page
    assert "これは過去の版です" in page
    # Who added it, and why, is in the item's and the checklist's history.
    record = added.history.get()
    assert record.history_user == people.subcommittee
    assert record.history_change_reason == "音声翻訳機の項目を追加"
    body = client.get(reverse("inspections:template_history", args=[shipped_template.pk]))
    assert "音声翻訳機の項目を追加" in body.content.decode()


def test_a_second_change_goes_to_the_new_version_not_a_third(people, inspection, shipped_template):
    services.item_add(
        template=shipped_template,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        code="心-20",
        text="手話で挨拶できる職員がいる",
        barrier="heart",
    )
    shipped_template.refresh_from_db()
    services.item_add(
        template=shipped_template,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        code="心-21",
        text="筆談ボードの使い方を知っている",
        barrier="heart",
    )
    assert shipped_template.versions.count() == 2
    assert shipped_template.current_version.items.filter(code__in=["心-20", "心-21"]).count() == 2


def test_removing_an_item_in_use_keeps_it_for_the_inspection(
    client, people, inspection, shipped_template
):
    target = item(inspection, "心-01")
    client.force_login(people.subcommittee)
    page = client.get(reverse("inspections:item_remove", args=[target.pk])).content.decode()
    assert "この項目のない第2版ができます" in page
    response = client.post(
        reverse("inspections:item_remove", args=[target.pk]), {"version": shipped_template.version}
    )
    assert response.status_code == 302
    assert not shipped_template.current_version.items.filter(code="心-01").exists()
    assert ChecklistItem.objects.filter(pk=target.pk).exists()
    assert inspection.template_version.items.filter(code="心-01").exists()


def test_an_item_of_an_unused_version_is_removed_in_place(people, shipped_template):
    target = shipped_template.current_version.items.get(code="心-01")
    pk = target.pk
    version = services.item_remove(
        item=target, by=people.subcommittee, expected_version=shipped_template.version
    )
    assert version.number == 1
    assert not ChecklistItem.objects.filter(pk=pk).exists()
    removed = ChecklistItem.history.get(id=pk, history_type="-")
    assert removed.history_user == people.subcommittee


def test_items_move_up_and_down_within_their_barrier(client, people, shipped_template):
    version = shipped_template.current_version

    def codes():
        return list(version.items.filter(barrier="heart").values_list("code", flat=True))

    first, second = codes()[:2]
    client.force_login(people.subcommittee)
    target = version.items.get(code=second)
    response = client.post(
        reverse("inspections:item_move", args=[target.pk]),
        {"version": shipped_template.version, "direction": "up"},
        follow=True,
    )
    assert f"項目 {second} を上へ移動しました。" in response.content.decode()
    assert codes()[:2] == [second, first]
    # The first item of a barrier goes no higher: the reason is shown.
    shipped_template.refresh_from_db()
    response = client.post(
        reverse("inspections:item_move", args=[target.pk]),
        {"version": shipped_template.version, "direction": "up"},
        follow=True,
    )
    assert "これ以上上へは移動できません。" in response.content.decode()
    assert codes()[:2] == [second, first]
    # The walk shows the new order.
    orders = list(version.items.values_list("order", flat=True))
    assert len(set(orders)) == len(orders)


def test_moving_an_item_of_a_version_in_use_makes_the_next_version(
    people, inspection, shipped_template
):
    target = item(inspection, "物-02")
    moved = services.item_move(
        item=target, by=people.subcommittee, expected_version=shipped_template.version, up=True
    )
    assert moved.version.number == 2
    old = list(inspection.template_version.items.values_list("code", flat=True))
    new = list(moved.version.items.values_list("code", flat=True))
    assert old.index("物-02") == old.index("物-01") + 1
    assert new.index("物-02") == new.index("物-01") - 1


def test_a_stale_page_cannot_move_or_add(client, people, shipped_template):
    stale = shipped_template.version
    services.template_update(
        template=shipped_template,
        by=people.subcommittee,
        expected_version=stale,
        name=shipped_template.name,
        description="説明を変えた",
    )
    target = shipped_template.current_version.items.get(code="心-02")
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:item_move", args=[target.pk]),
        {"version": stale, "direction": "up"},
        follow=True,
    )
    assert "他の人が更新しました" in response.content.decode()
    response = client.post(
        reverse("inspections:item_add", args=[shipped_template.pk]), {"version": stale, **NEW_ITEM}
    )
    assert response.status_code == 400
    assert "他の人が先に保存した変更" in response.content.decode()
    assert 'value="音声翻訳機を窓口に用意している"' in response.content.decode()
    assert not ChecklistItem.objects.filter(code="情-20").exists()


def test_a_slope_rule_is_typed_as_1_over_n(client, people, shipped_template):
    client.force_login(people.subcommittee)
    response = post_add(
        client,
        shipped_template,
        measure(
            code="物-31",
            text="屋外スロープの勾配",
            place_type="ramp",
            rule="at_most",
            low="",
            high="1/12",
            unit="",
            is_ratio="on",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    added = shipped_template.current_version.items.get(code="物-31")
    assert added.high == Decimal("0.083333") and added.rule_text == "1/12以下"
    assert services.rating_for(added, value=Decimal(1) / Decimal(15)) == "ok"
    assert services.rating_for(added, value=Decimal(1) / Decimal(10)) == "needs"
    # The edit form shows the bound as it was typed.
    form = client.get(reverse("inspections:item_edit", args=[added.pk])).context["form"]
    assert form.initial["high"] == "1/12"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rule": ""}, "rule", "計測値の項目には基準（以上・以下・範囲内）を選んでください。"),
        ({"low": ""}, "low", "基準の下限を入力してください。"),
        ({"high": ""}, "high", "基準の上限を入力してください。"),
        ({"low": "75", "high": "70"}, "high", "上限は下限より大きい値にしてください。"),
        ({"low": "約70"}, "low", "数値で入力してください（例：82）。"),
        ({"unit": ""}, "unit", "計測値の単位を入力してください（例：cm）。"),
        (
            {"rule": "at_most", "high": "12", "is_ratio": "on", "unit": ""},
            "high",
            "勾配は「1/12」のように、1/N の形で入力してください。",
        ),
        ({"code": "物-01"}, "code", "番号「物-01」の項目はすでにあります。"),
    ],
)
def test_a_rule_that_cannot_decide_a_rating_is_refused_with_its_reason(
    client, people, shipped_template, changes, field, message
):
    client.force_login(people.subcommittee)
    response = post_add(client, shipped_template, measure(**changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message in response.content.decode()
    # The input stays on the form.
    assert 'value="記載台の高さ"' in response.content.decode()
    assert shipped_template.versions.count() == 1
    assert not ChecklistItem.objects.filter(text="記載台の高さ").exists()


@pytest.mark.parametrize("checked", ["on", "yes", "TRUE"])
def test_a_slope_bound_that_is_not_a_number_is_read_as_the_forms_own_checkbox_reads_it(
    client, people, shipped_template, checked
):
    """Whatever value the browser (or a hand-typed request) sends for the ticked checkbox, the
    bound is read as a slope when the form reads 「勾配（1/N）で入力する」 as ticked."""
    client.force_login(people.subcommittee)
    data = measure(rule="at_most", low="", high="約1/12", unit="", is_ratio=checked)
    response = post_add(client, shipped_template, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.cleaned_data["is_ratio"] is True
    assert form.errors["high"] == ["数値で入力してください（例：1/15）。"]
    assert 'value="約1/12"' in response.content.decode()
    assert not ChecklistItem.objects.filter(text="記載台の高さ").exists()


def test_a_one_sided_rule_drops_the_bound_it_does_not_use(people, shipped_template):
    added = services.item_add(
        template=shipped_template,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        code="物-32",
        text="駐車区画の幅",
        barrier="thing",
        place_type="parking",
        answer_kind="measure",
        unit="cm",
        rule="at_least",
        low=Decimal("350"),
        high=Decimal("400"),
    )
    assert added.high is None and added.rule_text == "350cm以上"
    rated = services.item_revise(
        item=added,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        answer_kind="rating",
    )
    assert (rated.rule, rated.low, rated.unit) == ("", None, "")


def test_a_new_checklist_starts_empty_or_as_a_copy(client, people, shipped_template, inspection):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:template_create"),
        {
            "name": "出張所用チェックリスト",
            "description": "小さな出張所のための項目",
            "copy_from": "",
        },
    )
    assert response.status_code == 302
    empty = ChecklistTemplate.objects.get(name="出張所用チェックリスト")
    assert empty.current_version.number == 1 and not empty.current_version.items.exists()
    assert "この版にはまだ項目がありません" in client.get(response.url).content.decode()
    # A checklist without items cannot be used for an inspection.
    with pytest.raises(ValidationError) as refused:
        services.inspection_create(
            office=inspection.office,
            by=people.subcommittee,
            title="項目なし",
            inspected_on=datetime.date(2026, 11, 1),
            template=empty,
            places=list(inspection.places.all()),
        )
    assert refused.value.message_dict == {"template": ["このチェックリストには項目がありません。"]}

    page = client.get(reverse("inspections:template_create") + f"?copy={shipped_template.pk}")
    assert page.context["form"].initial["copy_from"] == shipped_template.pk
    response = client.post(
        reverse("inspections:template_create"),
        {"name": "令和9年度 改訂案", "description": "", "copy_from": shipped_template.pk},
    )
    copy = ChecklistTemplate.objects.get(name="令和9年度 改訂案")
    assert copy.current_version.items.count() == shipped_template.current_version.items.count()
    assert copy.current_version.note == f"「{shipped_template.name}」第1版から複製"
    # The copy is a checklist of its own: changing it leaves the original alone.
    first = copy.current_version.items.get(code="物-01")
    services.item_revise(
        item=first, by=people.subcommittee, expected_version=copy.version, text="出入口の幅"
    )
    assert shipped_template.current_version.items.get(code="物-01").text == "出入口の有効幅"
    # A taken name is refused on its field.
    response = client.post(
        reverse("inspections:template_create"), {"name": "令和9年度 改訂案", "description": ""}
    )
    assert "同じ名前のチェックリストがすでにあります。" in response.content.decode()


def test_renaming_a_checklist_is_guarded_by_its_version(client, people, shipped_template):
    client.force_login(people.subcommittee)
    url = reverse("inspections:template_edit", args=[shipped_template.pk])
    stale = shipped_template.version
    response = client.post(url, {"version": stale, "name": "新しい名前", "description": "説明"})
    assert response.status_code == 302
    response = client.post(url, {"version": stale, "name": "別の名前", "description": "説明"})
    assert response.status_code == 400 and "他の人が先に保存した変更" in response.content.decode()
    shipped_template.refresh_from_db()
    assert shipped_template.name == "新しい名前"


@pytest.mark.parametrize("role", ["staff", "manager", "council", "admin", "lead"])
def test_only_the_subcommittee_edits_checklists(client, people, shipped_template, role):
    target = shipped_template.current_version.items.first()
    client.force_login(getattr(people, role))
    refusal = "チェックリストを変更できるのは推進部会の委員です。"
    for response in (
        post_add(client, shipped_template, NEW_ITEM),
        client.post(reverse("inspections:item_move", args=[target.pk]), {"version": 1}),
        client.post(reverse("inspections:item_remove", args=[target.pk]), {"version": 1}),
        client.post(reverse("inspections:template_create"), {"name": "x"}),
    ):
        assert response.status_code == 403
        assert refusal in response.content.decode()
    assert ChecklistVersion.objects.count() == 1
    assert ChecklistTemplate.objects.count() == 1
    assert shipped_template.current_version.items.filter(pk=target.pk).exists()


def test_an_items_history_shows_the_changed_fields(client, people, shipped_template):
    target = shipped_template.current_version.items.get(code="心-01")
    services.item_revise(
        item=target,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        note="言い方を改めた",
        text="職員から先に声をかけている",
    )
    client.force_login(people.staff)
    body = client.get(reverse("inspections:item_history", args=[target.pk])).content.decode()
    assert "職員から先に声をかけている" in body and "言い方を改めた" in body


def test_an_older_version_offers_no_editing(client, people, inspection, shipped_template):
    services.item_add(
        template=shipped_template,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        code="心-22",
        text="ゆっくり話している",
        barrier="heart",
    )
    old = item(inspection, "心-01")
    client.force_login(people.subcommittee)
    page = client.get(shipped_template.get_absolute_url() + "?version=1").content.decode()
    assert reverse("inspections:item_edit", args=[old.pk]) not in page
    response = client.post(
        reverse("inspections:item_move", args=[old.pk]),
        {"version": shipped_template.version + 1, "direction": "down"},
        follow=True,
    )
    assert "この版は最新ではありません。" in response.content.decode()


def test_the_checklist_list_runs_a_fixed_number_of_queries(
    client, people, shipped_template, django_assert_max_num_queries
):
    client.force_login(people.staff)
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse("inspections:template_list")).status_code == 200
    for n in range(8):
        services.template_create(
            by=people.subcommittee, name=f"チェックリスト{n}", copy_from=shipped_template
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(reverse("inspections:template_list")).content.decode()
    assert "チェックリスト7" in body


def test_the_checklist_list_pages_in_name_order_without_a_warning(client, people, shipped_template):
    """A grouped query (the count of versions) does not take Meta.ordering: the list orders
    itself, so its pages neither repeat nor skip a checklist."""
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    for name in ("ろ点検", "い点検"):
        services.template_create(by=people.subcommittee, name=name, copy_from=shipped_template)
    client.force_login(people.staff)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = client.get(reverse("inspections:template_list"))
    assert response.status_code == 200
    names = [template.name for template in response.context["page_obj"]]
    assert names == sorted(names)
    assert {"い点検", "ろ点検"} <= set(names)


@pytest.mark.parametrize(("role", "shown"), [("council", True), ("staff", False)])
def test_the_summary_tab_follows_the_summarys_rule_on_every_page(
    client, people, shipped_template, role, shown
):
    client.force_login(getattr(people, role))
    summary = reverse("inspections:summary")
    for name in ("index", "place_list", "template_list", "finding_list"):
        body = client.get(reverse(f"inspections:{name}")).content.decode()
        assert (f'href="{summary}"' in body) is shown, name


def test_the_checklist_page_runs_a_fixed_number_of_queries(
    client, people, inspection, shipped_template, django_assert_max_num_queries
):
    client.force_login(people.subcommittee)
    url = shipped_template.get_absolute_url()
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for n in range(10):
        shipped_template.refresh_from_db()
        services.item_add(
            template=shipped_template,
            by=people.subcommittee,
            expected_version=shipped_template.version,
            code=f"心-{40 + n}",
            text=f"追加の項目{n}",
            barrier="heart",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert "追加の項目9" in body and "第2版（最新）" in body
