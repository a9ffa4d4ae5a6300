import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Block errors are compared as an English-speaking editor reads them."""
    with translation.override("en"):
        yield
