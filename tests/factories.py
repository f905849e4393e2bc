import factory
from django.contrib.auth import get_user_model

from takatsu_portal.accounts.models import Department, Office, Section
from takatsu_portal.accounts.roles import Role, assign_role
from takatsu_portal.core.guideline import office_guideline_copy

PASSWORD = "test-password-123"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = "takatsu"
    name = "高津区役所"

    @factory.post_generation
    def guideline(self, create, extracted, **kwargs):
        """As the admin and `office_create` do: the office's own copy of the guideline."""
        if create and extracted is not False:
            office_guideline_copy(office=self)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"第{n}部")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"第{n}課")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"高津 太郎{n}")
    full_name_kana = "たかつ たろう"
    staff_number = factory.Sequence(lambda n: f"{100000 + n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    section = factory.SubFactory(SectionFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            assign_role(self, Role(role))


def own_policy(number, office=None):
    """The basic policy `number` of `office` (by default the tests' 高津区役所): each office has
    its own copy of the guideline."""
    from takatsu_portal.core.models import Policy

    return Policy.objects.for_office(office or OfficeFactory()).get(number=number)


def own_area(number, office=None):
    """The initiative area `number` of `office` (by default the tests' 高津区役所)."""
    from takatsu_portal.core.models import InitiativeArea

    return InitiativeArea.objects.for_office(office or OfficeFactory()).get(number=number)
