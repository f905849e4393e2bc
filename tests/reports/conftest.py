import pytest

from tests.plans.conftest import group, office, other_group, people, plan, sections, stranger  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
