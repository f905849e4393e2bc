"""Training in the browser, as the people who do it: a member of staff applies, their section
manager approves, the organiser takes attendance with the keyboard, the participant evaluates
and completes; their record and the compliance page show it. axe-core checks every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takatsu_portal.accounts.models import User
from training.models import Course, Enrolment, Requirement, Session

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def sign_in_as(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def test_apply_approve_attend_evaluate_complete(page, demo_users):
    trainer, staff = demo_users["trainer"], demo_users["staff"]
    course = Course.objects.create(
        office=staff.office,
        title="窓口接遇研修（基礎）",
        category="service",
        objectives="来庁者を迎える姿勢と分かりやすい説明を学ぶ。",
        hours=2,
        kind="voluntary",
        needs_approval=True,
        evaluation_required=True,
        organiser=trainer,
    )
    start = timezone.now() + timedelta(days=10)
    session = Session.objects.create(
        course=course,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="5階 大会議室",
        capacity=20,
        instructor="外部講師 岡本 美和",
        apply_by=start - timedelta(days=5),
        cancel_by=start - timedelta(days=3),
    )
    Requirement.objects.create(
        office=staff.office, title="接遇研修（全職員・毎年度）", audience="all", course=course
    )

    # A member of staff finds the session and applies.
    sign_in_as(page, "staff")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="研修").click()
    expect(heading(page, "研修")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="研修カレンダー").click()
    assert_no_axe_violations(page)
    page.goto(session.get_absolute_url())
    expect(heading(page, course.title)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="申し込む").click()
    expect(page.get_by_text("所属課長の承認をお待ちください").first).to_be_visible()
    assert Enrolment.objects.get(user=staff).state == "pending"

    # The section manager approves.
    sign_in_as(page, "manager")
    page.goto("/training/approvals/")
    expect(heading(page, "申込みの承認")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="承認する").click()
    expect(page.get_by_text("申込みを承認しました")).to_be_visible()
    assert Enrolment.objects.get(user=staff).state == "confirmed"

    # The day comes.
    past = timezone.now() - timedelta(hours=3)
    Session.objects.filter(pk=session.pk).update(
        starts_at=past,
        ends_at=past + timedelta(hours=2),
        apply_by=past - timedelta(days=5),
        cancel_by=past - timedelta(days=3),
    )

    # The organiser takes attendance with the keyboard.
    sign_in_as(page, "trainer")
    page.goto(session.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_role("link", name="出欠を入力する").click()
    expect(heading(page, "出欠の入力")).to_be_visible()
    assert_no_axe_violations(page)
    present = page.get_by_role("radio", name="出席")
    present.focus()
    page.keyboard.press("Space")
    expect(present).to_be_checked()
    page.get_by_role("button", name="出欠を保存する").click()
    expect(page.get_by_text("出欠を保存しました")).to_be_visible()
    enrolment = Enrolment.objects.get(user=staff)
    assert enrolment.attendance == "present" and enrolment.completed_on is None  # no evaluation

    # The participant evaluates; the course is complete.
    sign_in_as(page, "staff")
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="研修評価アンケートに回答する").click()
    assert_no_axe_violations(page)
    page.get_by_role("radio", name="5 とても満足").check()
    page.get_by_role("radio", name="4 役立つ").check()
    page.get_by_label("感想・意見").fill("待ち時間の声かけをすぐ使いたい。")
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_text("研修評価を提出しました")).to_be_visible()
    enrolment.refresh_from_db()
    session.refresh_from_db()
    assert enrolment.completed_on == session.day

    # The record shows it.
    page.goto("/training/record/")
    expect(heading(page, "私の研修記録")).to_be_visible()
    expect(page.get_by_role("cell", name="修了", exact=True)).to_be_visible()
    expect(page.get_by_text("すべて修了しています")).to_be_visible()
    assert_no_axe_violations(page)

    # The participant issues the URL that Outlook subscribes to; it is shown on the record.
    page.get_by_role("button", name="購読用のURLを発行").click()
    expect(page.get_by_text("購読用のURLを発行しました")).to_be_visible()
    feed_url = page.get_by_label("購読用のURL")
    expect(feed_url).to_have_value(re.compile(r"/training/feeds/\d+/[\w-]+\.ics$"))
    expect(page.get_by_role("button", name="URLを再発行")).to_be_visible()
    assert_no_axe_violations(page)

    # The compliance page shows the section without gaps for this person.
    sign_in_as(page, "manager")
    page.goto("/training/compliance/")
    expect(heading(page, "受講状況（必修研修）")).to_be_visible()
    assert_no_axe_violations(page)
    missing = page.get_by_role("table", name="必修研修が未受講の職員と、その研修")
    expect(missing).to_contain_text(demo_users["council"].full_name)
    expect(missing).not_to_contain_text(User.objects.get(username="staff").full_name)

    # The organiser reads the results.
    sign_in_as(page, "trainer")
    page.goto(f"/training/sessions/{session.pk}/results/")
    expect(page.get_by_text("待ち時間の声かけをすぐ使いたい。")).to_be_visible()
    assert_no_axe_violations(page)
