"""Drawing the collective and its knowledge of the majority."""

import numpy as np
import pytest

from fairflip.collective import draw_collective, draw_knowledge, parse_knowledge
from fairflip.exceptions import ConfigError

GROUPS = np.array([0, 1] * 30 + [1] * 15 + [0] * 5, dtype=np.int8)  # 45 acting, 35 others
ACTING = np.flatnonzero(GROUPS == 1)
MAJORITY = np.flatnonzero(GROUPS == 0)


@pytest.mark.parametrize("alpha", [0.02, 0.05, 0.1, 0.3, 0.5, 0.99, 1.0, 1])
def test_collective_size_and_membership(alpha):
    members = draw_collective(GROUPS, alpha=alpha, random_state=0)
    assert members.size == round(alpha * ACTING.size)
    assert np.isin(members, ACTING).all()
    assert (np.diff(members) > 0).all()  # sorted, no repeats
    assert members.dtype == np.intp


def test_full_collective_is_the_acting_group():
    np.testing.assert_array_equal(draw_collective(GROUPS, alpha=1.0, random_state=3), ACTING)


def test_collective_is_seeded():
    a = draw_collective(GROUPS, alpha=0.3, random_state=1)
    b = draw_collective(GROUPS, alpha=0.3, random_state=1)
    c = draw_collective(GROUPS, alpha=0.3, random_state=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_explicit_members():
    chosen = [ACTING[5], ACTING[0], ACTING[5], ACTING[9]]
    members = draw_collective(GROUPS, members=chosen, alpha=0.9)
    np.testing.assert_array_equal(members, sorted({ACTING[0], ACTING[5], ACTING[9]}))


@pytest.mark.parametrize("members", [[], [int(MAJORITY[0])], [int(ACTING[0]), 10_000]])
def test_bad_members_are_config_errors(members):
    with pytest.raises(ConfigError):
        draw_collective(GROUPS, members=members)


@pytest.mark.parametrize("alpha", [0, 0.0, -0.1, 1.01, 2, float("nan"), None, "x"])
def test_bad_alpha_is_config_error(alpha):
    with pytest.raises(ConfigError, match="alpha") as info:
        draw_collective(GROUPS, alpha=alpha, random_state=0)
    assert "\n" not in str(info.value)


def test_alpha_rounding_to_zero_is_config_error():
    with pytest.raises(ConfigError, match="empty"):
        draw_collective(GROUPS, alpha=0.01, random_state=0)  # 0.45 rounds to 0
    with pytest.raises(ConfigError, match="empty"):
        draw_collective(np.zeros(10), alpha=1.0)  # no acting group at all


def test_knowledge_all():
    np.testing.assert_array_equal(draw_knowledge(GROUPS, knowledge="all"), MAJORITY)
    np.testing.assert_array_equal(draw_knowledge(GROUPS), MAJORITY)


@pytest.mark.parametrize(("knowledge", "size"), [
    (10, 10), ("10", 10), (1, 1), (35, 35), (0.5, 18), ("0.2", 7), (1.0, 35), (0.001, 1),
])
def test_knowledge_count_and_fraction(knowledge, size):
    known = draw_knowledge(GROUPS, knowledge=knowledge, random_state=0)
    assert known.size == size
    assert np.isin(known, MAJORITY).all()
    assert (np.diff(known) > 0).all()


def test_knowledge_is_seeded():
    a = draw_knowledge(GROUPS, knowledge=10, random_state=4)
    b = draw_knowledge(GROUPS, knowledge=10, random_state=4)
    c = draw_knowledge(GROUPS, knowledge=10, random_state=5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("knowledge", [0, -3, 36, 1.5, 0.0, "none", "", True, None, [10]])
def test_bad_knowledge_is_config_error(knowledge):
    with pytest.raises(ConfigError, match="knowledge") as info:
        draw_knowledge(GROUPS, knowledge=knowledge, random_state=0)
    assert "\n" not in str(info.value)


def test_knowledge_without_majority_is_config_error():
    with pytest.raises(ConfigError):
        draw_knowledge(np.ones(5), knowledge="all")


@pytest.mark.parametrize(("text", "expected"), [
    ("all", "all"), (" ALL ", "all"), ("10", 10), (10, 10), (np.int64(3), 3),
    ("0.5", 0.5), (0.25, 0.25), ("1.0", 1.0), (1.0, 1.0),
])
def test_parse_knowledge(text, expected):
    value = parse_knowledge(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", ["some", "0", "-1", "1.5", "nan", False, 0, 2.0])
def test_parse_knowledge_errors(text):
    with pytest.raises(ConfigError, match="knowledge"):
        parse_knowledge(text)
