"""Search on PostgreSQL: a function that makes the character bigrams of a normalised text (the
same tokens as `bulletins.text.bigrams`) and a GIN index on that expression over the articles'
normalised text. Stock PostgreSQL, no extension; SQLite searches by a plain scan instead."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION bulletins_bigrams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT rtrim(substr(t, i, 2))), '{}'))
  FROM generate_series(1, char_length(t)) AS i
  WHERE substr(t, i, 1) <> ' '
$$
"""
INDEX = (
    "CREATE INDEX IF NOT EXISTS bulletins_article_search_gin "
    "ON bulletins_article USING gin (bulletins_bigrams(search_text))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS bulletins_article_search_gin")
        schema_editor.execute("DROP FUNCTION IF EXISTS bulletins_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
