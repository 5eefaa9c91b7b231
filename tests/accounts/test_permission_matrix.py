import pytest

from accounts import permissions as p
from accounts.models import Role

EXPECTED = {
    # action: (owner, manager, analyst, viewer)
    p.VIEW: (True, True, True, True),
    p.EDIT_CATALOG: (True, True, True, False),
    p.IMPORT_DATA: (True, True, True, False),
    p.GENERATE_CONTENT: (True, True, True, False),
    p.APPROVE_CONTENT: (True, True, False, False),
    p.PUBLISH_CONTENT: (True, True, False, False),
    p.MANAGE_CHANNELS: (True, True, False, False),
    p.RUN_FORECASTS: (True, True, True, False),
    p.MANAGE_PLANNING: (True, True, False, False),
    p.ANALYSE_REVIEWS: (True, True, False, False),
    p.RESPOND_CRISES: (True, True, True, False),
    p.MANAGE_CRISES: (True, True, False, False),
    p.MANAGE_MEMBERS: (True, False, False, False),
    p.MANAGE_MERCHANT: (True, False, False, False),
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_the_permission_matrix_matches_the_documented_table(action):
    roles = (Role.OWNER, Role.MANAGER, Role.ANALYST, Role.VIEWER)
    assert tuple(p.role_can(role, action) for role in roles) == EXPECTED[action]


def test_every_action_is_covered_by_the_documented_table():
    assert set(p.MATRIX) == set(EXPECTED)


def test_no_role_means_no_permission():
    assert not p.role_can(None, p.VIEW)
