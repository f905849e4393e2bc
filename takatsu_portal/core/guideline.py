"""Each office's own guideline (基本方針 and 具体的な取組), copied from the city's template.

The rows without an office are the city's 川崎市区役所サービス向上指針; an office gets its own
copy when it is created (the admin, `manage.py office_create`, the demo) and then edits its
titles and texts in the admin, with history. Pages, forms and reports read only the office's
own rows (`Policy.objects.for_office(office)`)."""

from django.db import transaction

from .models import InitiativeArea, Policy


@transaction.atomic
def office_guideline_copy(*, office) -> tuple[int, int]:
    """Give `office` a copy of every template policy and initiative area it lacks (matched by
    number), and return how many of each were made. Rows the office already has, edited or
    not, are left alone, so calling it twice is harmless."""
    have = set(Policy.objects.for_office(office).values_list("number", flat=True))
    policies = [
        Policy(office=office, number=p.number, title=p.title, description=p.description)
        for p in Policy.objects.templates()
        if p.number not in have
    ]
    have = set(InitiativeArea.objects.for_office(office).values_list("number", flat=True))
    areas = [
        InitiativeArea(
            office=office,
            code=a.code,
            number=a.number,
            title=a.title,
            description=a.description,
            scope=a.scope,
        )
        for a in InitiativeArea.objects.templates()
        if a.number not in have
    ]
    # save() one by one so that django-simple-history records each copy's creation.
    for row in (*policies, *areas):
        row.save()
    return len(policies), len(areas)
