"""What training's shared pages are kept against.

Training's services tell the home page of each person whose enrolment changed
(`training.attention.changed_for`), not everyone, so the data generation that the shared cache
(core/shared_cache.py) keys on does not move when someone applies, cancels, attends or
completes. The pages that everyone of an office sees alike (the upcoming sessions with their
counts, the compliance page) are therefore also keyed on `training_stamp()`: the newest
history row of courses, sessions, enrolments, evaluations and rules. Every change of those rows,
through a service, a bulk write with history or the admin site, adds a history row, so the
stamp moves with it; reading it is one query of five index look-ups.
"""

from django.db import connection

from .models import Course, Enrolment, Evaluation, Requirement, Session

MODELS = (Course, Session, Enrolment, Evaluation, Requirement)


def training_stamp():
    """The newest history id of each of MODELS, as a tuple (one query)."""
    tables = [connection.ops.quote_name(m.history.model._meta.db_table) for m in MODELS]
    # Table names from the models, nothing from a request.
    sql = "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {t})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())
