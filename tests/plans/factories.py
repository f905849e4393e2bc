import datetime

import factory

from plans.models import (
    AgendaItem,
    AnnualPlan,
    CouncilMeeting,
    Improvement,
    Indicator,
    Milestone,
    Project,
    Proposal,
    WorkingGroup,
)
from takatsu_portal.core.models import InitiativeArea, Policy
from tests.factories import OfficeFactory, SectionFactory, UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    office = factory.SubFactory(OfficeFactory)
    fiscal_year = 2026
    title = factory.LazyAttribute(lambda p: f"{p.fiscal_year}年度 高津区役所サービス向上計画")
    summary = "窓口サービスの満足度向上を重点とする。"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"窓口改善ワーキング{n}")
    purpose = "窓口の待ち時間を減らす。"
    lead = factory.SubFactory(UserFactory)
    established_on = datetime.date(2026, 4, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"R8-{n:02d}")
    title = factory.Sequence(lambda n: f"窓口案内の改善{n}")
    description = "総合案内の表示を見直す。"
    initiative_area = factory.LazyAttribute(
        lambda o: InitiativeArea.objects.for_office(o.plan.office).get(number=1)
    )
    section = factory.SubFactory(SectionFactory)
    budget_requested = 500_000

    @factory.post_generation
    def policies(self, create, extracted, **kwargs):
        self.policies.set(extracted or [Policy.objects.for_office(self.plan.office).get(number=2)])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = "案内表示の試行"
    due_on = datetime.date(2026, 9, 30)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = "窓口の満足度"
    unit = "%"
    baseline = 72
    target = 80


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"フロアマップの多言語化{n}")
    description = "外国人来庁者向けに案内を多言語化する。"
    initiative_area = factory.LazyAttribute(
        lambda o: InitiativeArea.objects.for_office(o.plan.office).get(number=2)
    )
    section = factory.SubFactory(SectionFactory)
    budget_estimate = 300_000
    proposer = factory.SubFactory(UserFactory)

    @factory.post_generation
    def policies(self, create, extracted, **kwargs):
        self.policies.set(extracted or [Policy.objects.for_office(self.plan.office).get(number=5)])


class ImprovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Improvement

    author = factory.SubFactory(UserFactory)
    section = factory.LazyAttribute(lambda i: i.author.section)
    title = "申請書記入例の掲示"
    problem = "記入の誤りが多く、窓口で書き直しが発生していた。"
    change = "記載台に記入例を掲示した。"
    effect = "書き直しが半減した。"
    recorded_on = datetime.date(2026, 6, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMeeting

    office = factory.SubFactory(OfficeFactory)
    title = "令和8年度 第1回区企画調整会議"
    held_on = datetime.date(2026, 4, 24)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = "区役所サービス向上計画（素案）について"
    subject = AgendaItem.Subject.PLAN
