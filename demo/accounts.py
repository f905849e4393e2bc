"""The organisation and the staff of the demo office: departments, sections, about sixty
people with their roles, and one account per role, all with the password `takatsu-demo`
(`demo/data/accounts.py` holds the names)."""

import random

from django.contrib.auth.hashers import make_password

from takatsu_portal.accounts.models import Department, Office, Section, User
from takatsu_portal.accounts.roles import assign_role, roles_of
from takatsu_portal.core.guideline import office_guideline_copy

from .data import accounts as demo_data
from .writer import Tally, upsert

STAFF_NUMBER_SEED = 2026


def seed_organisation():
    """The office with its departments and sections; returns ({section name: Section}, tallies)."""
    offices, departments, sections = Tally("区役所"), Tally("部"), Tally("課")
    office = upsert(
        Office,
        lookup={"code": demo_data.OFFICE_CODE},
        values={
            "name": demo_data.OFFICE_NAME,
            "name_translations": demo_data.OFFICE_NAME_TRANSLATIONS,
        },
        tally=offices,
    )
    # The office's own copy of the city's guideline (its texts are Takatsu's, unchanged).
    office_guideline_copy(office=office)
    by_name = {}
    for department_order, (department_name, section_names) in enumerate(
        demo_data.ORGANISATION, start=1
    ):
        department = upsert(
            Department,
            lookup={"office": office, "name": department_name},
            values={"sort_order": department_order * 10},
            tally=departments,
        )
        for section_order, section_name in enumerate(section_names, start=1):
            by_name[section_name] = upsert(
                Section,
                lookup={"department": department, "name": section_name},
                values={"sort_order": section_order * 10},
                tally=sections,
            )
    return by_name, [offices, departments, sections]


def staff_numbers(count):
    """`count` distinct six-digit staff numbers, the same on every run. The n-th number depends
    only on the draws before it, so people added at the end of the list keep everyone else's."""
    rng = random.Random(STAFF_NUMBER_SEED)  # noqa: S311  (demo data, not a secret)
    numbers = []
    while len(numbers) < count:
        number = str(rng.randrange(100000, 1000000))
        if number not in numbers:
            numbers.append(number)
    return numbers


def seed_staff(sections):
    """The demo accounts and the other staff, with their roles; returns tallies.

    Roles are only added: a role given by hand to a demo user since the last run stays.
    """
    staff = Tally("職員")
    # One hash for everyone: the default PBKDF2 hasher takes about 0.3 s per password.
    hashed = make_password(demo_data.DEMO_PASSWORD)
    people = demo_data.PEOPLE
    for person, number in zip(people, staff_numbers(len(people)), strict=True):
        user = upsert(
            User,
            lookup={"username": person.username},
            values={
                "full_name": person.full_name,
                "full_name_kana": person.full_name_kana,
                "staff_number": number,
                "email": f"{person.username}@{demo_data.EMAIL_DOMAIN}",
                "section": sections[person.section],
            },
            on_create={"password": hashed},
            tally=staff,
        )
        held = roles_of(user)
        for role in person.roles:
            if role not in held:
                assign_role(user, role)
    return [staff]
