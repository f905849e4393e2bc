"""The GIN index over the articles' character bigrams (PostgreSQL only: SQLite searches by a
plain scan of the normalised text)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS bulletins_article_search_gin "
    "ON bulletins_article USING gin (search_vector)"
)
DROP = "DROP INDEX IF EXISTS bulletins_article_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
