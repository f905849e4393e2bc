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
    tallies = {}

    def tally(label):
        return tallies.setdefault(label, Tally(label))

    office, by_name = organisation(demo_data, tally)
    # The office's own copy of the city's guideline (its texts are Takatsu's, unchanged).
    office_guideline_copy(office=office)
    return by_name, list(tallies.values())


def organisation(data, tally):
    """The office of `data` (a module of demo/data: OFFICE_CODE, OFFICE_NAME,
    OFFICE_NAME_TRANSLATIONS, ORGANISATION, and OFFICE_SORT_ORDER and OFFICE_SETTINGS (the
    office's settings: portal name, public name and address, deadlines) if it has them) with its
    departments and sections; `tally(label)` gives the Tally of 区役所, 部 and 課. Returns
    (office, {section name: Section})."""
    values = {"name": data.OFFICE_NAME, "name_translations": data.OFFICE_NAME_TRANSLATIONS}
    if hasattr(data, "OFFICE_SORT_ORDER"):
        values["sort_order"] = data.OFFICE_SORT_ORDER
    values.update(getattr(data, "OFFICE_SETTINGS", {}))
    office = upsert(Office, lookup={"code": data.OFFICE_CODE}, values=values, tally=tally("区役所"))
    by_name = {}
    for department_order, (department_name, section_names) in enumerate(data.ORGANISATION, start=1):
        department = upsert(
            Department,
            lookup={"office": office, "name": department_name},
            values={"sort_order": department_order * 10},
            tally=tally("部"),
        )
        for section_order, section_name in enumerate(section_names, start=1):
            by_name[section_name] = upsert(
                Section,
                lookup={"department": department, "name": section_name},
                values={"sort_order": section_order * 10},
                tally=tally("課"),
            )
    return office, by_name


def staff_numbers(count, *, seed=STAFF_NUMBER_SEED, taken=()):
    """`count` distinct six-digit staff numbers, the same on every run, none of them in `taken`.
    The n-th number depends only on the draws before it, so people added at the end of the list
    keep everyone else's."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not a secret)
    taken = set(taken)
    numbers = []
    while len(numbers) < count:
        number = str(rng.randrange(100000, 1000000))
        if number not in numbers and number not in taken:
            numbers.append(number)
    return numbers


def seed_staff(sections):
    """The demo accounts and the other staff, with their roles; returns tallies.

    Roles are only added: a role given by hand to a demo user since the last run stays.
    """
    staff = Tally("職員")
    people = demo_data.PEOPLE
    seed_people(people, staff_numbers(len(people)), sections, staff)
    return [staff]


def seed_people(people, numbers, sections, tally):
    """`people` (demo/data Person rows) with their `numbers`, in `sections` ({name: Section};
    a person without a section has none), with their roles, which are only added;
    returns {username: User}."""
    # One hash for everyone: the default PBKDF2 hasher takes about 0.3 s per password.
    hashed = make_password(demo_data.DEMO_PASSWORD)
    users = {}
    for person, number in zip(people, numbers, strict=True):
        user = upsert(
            User,
            lookup={"username": person.username},
            values={
                "full_name": person.full_name,
                "full_name_kana": person.full_name_kana,
                "staff_number": number,
                "email": f"{person.username}@{demo_data.EMAIL_DOMAIN}",
                "section": sections[person.section] if person.section else None,
            },
            on_create={"password": hashed},
            tally=tally,
        )
        held = roles_of(user)
        for role in person.roles:
            if role not in held:
                assign_role(user, role)
        users[person.username] = user
    return users
