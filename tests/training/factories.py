from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import OfficeFactory, UserFactory
from training.models import Category, Course, Session


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    office = factory.SubFactory(OfficeFactory)
    title = factory.Sequence(lambda n: f"窓口接遇研修 第{n}期")
    category = Category.SERVICE
    objectives = "窓口での応対の基本を学ぶ。"
    hours = Decimal("2.0")
    kind = Course.Kind.VOLUNTARY
    organiser = factory.SubFactory(UserFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    place = "高津区役所 5階 第1会議室"
    capacity = 20
    instructor = "外部講師 佐藤 花子"
    apply_by = factory.LazyAttribute(lambda s: s.starts_at - timedelta(days=7))
    cancel_by = factory.LazyAttribute(lambda s: s.starts_at - timedelta(days=3))
