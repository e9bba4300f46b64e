"""Small fixtures shared across the suite: one synthetic problem with known counterfactuals."""

import pytest

from fairflip.data import make_synthetic, split_problem


@pytest.fixture(scope="session")
def synthetic_split():
    """A 600-row draw of the synthetic causal model, split 70/30 with the group column."""
    problem = make_synthetic(n_rows=600, n_features=4, minority_share=0.3, label_bias=1.5,
                             isolation=1.0, random_state=0)
    return split_problem(problem, test_size=0.3, random_state=0)


@pytest.fixture
def rewound_results(tmp_path):
    """``rewind(version)``: a new results file taken back by hand to schema ``version``
    (every column a later step added dropped, ``meta`` saying ``version``), holding one
    collective row with eqod 0.25 and the extra ``values`` given; returns its path."""
    import duckdb

    from fairflip.experiments import ResultStore
    from fairflip.experiments._store import ADDED_COLUMNS

    def rewind(version: int, **values):
        path = tmp_path / f"v{version}.duckdb"
        ResultStore(path).close()
        con = duckdb.connect(str(path))
        for added, name, _ in ADDED_COLUMNS:
            if added > version:
                con.execute(f"ALTER TABLE results DROP COLUMN {name}")
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
        row = {"cell_id": "u:0", "unit_id": "u", "family": "collective", "eqod": 0.25, **values}
        con.execute(f"INSERT INTO results ({', '.join(row)}) VALUES "
                    f"({', '.join('?' * len(row))})", list(row.values()))
        con.close()
        return path

    return rewind


@pytest.fixture(scope="session")
def sklearn_refit():
    """``refit(split, ranked, n_flips)``: test predictions of a plain scikit-learn logistic
    regression (tight tolerance) trained with the first ``n_flips`` ranked labels set to 1,
    the independent reference for the sweeps' batched firm."""
    from sklearn.linear_model import LogisticRegression

    def refit(split, ranked, n_flips):
        y = split.y_train.copy()
        y[ranked[:n_flips]] = 1
        ref = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000)
        return ref.fit(split.X_train, y).predict(split.X_test)

    return refit
