import pytest


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world of tests/world.py, built once per module inside a transaction that is rolled back at
    the module's end (as Django's setUpTestData): each test runs in a savepoint within it."""
    from django.db import transaction

    from tests.world import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
