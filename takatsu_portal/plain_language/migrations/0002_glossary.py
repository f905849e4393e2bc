"""The glossary shipped with the portal: terms written for this project (not copied from any
city's published list), read from glossary_0002.txt beside this file. Loading is idempotent:
a term already present (by its spelling) is left as the editors have it."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_name("glossary_0002.txt")


def rows():
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, reading, category, alternatives, explanation, example, variants = line.split("|")
        auto_replace = not alternatives.startswith("!")
        alternatives = alternatives.removeprefix("!")
        yield {
            "term": term,
            "auto_replace": auto_replace,
            "reading": reading,
            "category": category,
            "alternatives": "\n".join(alternatives.split("／")),
            "explanation": explanation,
            "example": example,
            "variants": "\n".join(v for v in variants.split("／") if v),
        }


def load(apps, schema_editor):
    Term = apps.get_model("plain_language", "Term")
    HistoricalTerm = apps.get_model("plain_language", "HistoricalTerm")
    existing = set(Term.objects.values_list("term", flat=True))
    created = Term.objects.bulk_create(
        [Term(**row) for row in rows() if row["term"] not in existing]
    )
    # The history starts with the shipped wording ("+" = created, by nobody: the migration).
    from django.utils import timezone

    now = timezone.now()
    HistoricalTerm.objects.bulk_create(
        [
            HistoricalTerm(
                id=term.id,
                term=term.term,
                reading=term.reading,
                category=term.category,
                alternatives=term.alternatives,
                explanation=term.explanation,
                example=term.example,
                variants=term.variants,
                is_active=term.is_active,
                auto_replace=term.auto_replace,
                version=term.version,
                updated_at=term.updated_at,
                history_date=now,
                history_type="+",
                history_change_reason="初期データ",
            )
            for term in created
        ]
    )


def unload(apps, schema_editor):
    Term = apps.get_model("plain_language", "Term")
    Term.objects.filter(term__in=[row["term"] for row in rows()], updated_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("plain_language", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
