import pytest

from tests.plans.conftest import group, other_group, plan  # noqa: F401


@pytest.fixture(autouse=True)
def _media(media):
    return media
