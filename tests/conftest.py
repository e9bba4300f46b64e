"""Small fixtures shared across the suite: one synthetic problem with known counterfactuals."""

import pytest

from fairflip.data import make_synthetic, split_problem


@pytest.fixture(scope="session")
def synthetic_split():
    """A 600-row draw of the synthetic causal model, split 70/30 with the group column."""
    problem = make_synthetic(n_rows=600, n_features=4, minority_share=0.3, label_bias=1.5,
                             isolation=1.0, random_state=0)
    return split_problem(problem, test_size=0.3, random_state=0)
