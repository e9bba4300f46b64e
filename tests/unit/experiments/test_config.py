import pytest

from fairflip.exceptions import ConfigError
from fairflip.experiments import budget_counts, config_from_dict, expand_jobs, load_config


def test_toml_round_trip_and_hash_stability(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text('datasets = ["compas", {name = "adult", sensitive = "sex"}]\nseeds = 2\n'
                    'alphas = [0.1, 0.3]\nknowledge = ["all", 10]\n')
    cfg = load_config(path)
    assert [d.label for d in cfg.datasets] == ["compas", "adult:sex"]
    assert cfg.seeds == (0, 1) and cfg.knowledge == ("all", "10")
    assert cfg.config_hash == load_config(path).config_hash
    assert cfg.config_hash != config_from_dict({"datasets": ["compas"]}).config_hash


@pytest.mark.parametrize("raw, word", [
    ({}, "datasets"),
    ({"datasets": ["compas"], "alphas": [0]}, "alphas"),
    ({"datasets": ["compas"], "alphas": [1.5]}, "alphas"),
    ({"datasets": ["compas"], "methods": ["magic"]}, "magic"),
    ({"datasets": ["compas"], "colour": "red"}, "colour"),
    ({"datasets": ["compas"], "k": [0]}, "k"),
    ({"datasets": ["compas"], "knowledge": ["some"]}, "knowledge"),
    ({"datasets": ["compas"], "budgets": [-1]}, "budgets"),
    ({"datasets": ["compas"], "test_size": 1.0}, "test_size"),
    ({"datasets": ["compas"], "alphas": [0.3], "advise_alphas": [0.2]}, "advise_alphas"),
    ({"datasets": ["compas"], "advise_alphas": 0.3}, "advise_alphas"),
    ({"datasets": ["compas"], "advise_alphas": [True]}, "advise_alphas"),
])
def test_bad_configs_name_the_problem(raw, word):
    with pytest.raises(ConfigError, match=word) as info:
        config_from_dict(raw)
    assert "\n" not in str(info.value)


def test_malformed_toml_is_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("datasets = [\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_grid_units_are_unique_and_skip_unused_keys():
    cfg = config_from_dict({"datasets": ["compas"], "seeds": 2, "alphas": [0.1, 0.3],
                            "k": [5, 10], "knowledge": ["all", "10"],
                            "methods": ["rb-prob", "rb-label", "random"]})
    units = [u for job in expand_jobs(cfg) for u in job.units]
    ids = [u.unit_id for u in units]
    assert len(ids) == len(set(ids))
    per_seed = len(units) // 2
    # base + rb-prob (2 alphas x 2 knowledge) + rb-label (2 x 2 x 2 k) + random (2 alphas)
    assert per_seed == 1 + 4 + 8 + 2
    assert all(u.k == 0 for u in units if u.method in ("rb-prob", "random"))
    assert all(u.knowledge == "all" for u in units if u.method == "random")


def test_budget_counts_cover_the_pool_or_cap_explicit_counts():
    cfg = config_from_dict({"datasets": ["compas"], "budget_points": 5})
    requested, made = budget_counts(cfg, 100)
    assert list(made) == [0, 25, 50, 75, 100] and list(requested) == list(made)
    explicit = config_from_dict({"datasets": ["compas"], "budgets": [0, 10, 500]})
    requested, made = budget_counts(explicit, 100)
    assert list(requested) == [0, 10, 500] and list(made) == [0, 10, 100]


def test_budget_grid_follows_the_expected_pool_and_caps_at_the_actual_one():
    cfg = config_from_dict({"datasets": ["compas"], "budget_points": 3})
    requested, made = budget_counts(cfg, 90, expected_pool=100)
    assert list(requested) == [0, 50, 100] and list(made) == [0, 50, 90]


def test_advise_alphas_keeps_the_ids_of_advised_units_and_the_default_hash():
    plain = config_from_dict({"datasets": ["compas"], "alphas": [0.1, 0.3]})
    some = config_from_dict({"datasets": ["compas"], "alphas": [0.1, 0.3], "advise_alphas": [0.3]})
    none = config_from_dict({"datasets": ["compas"], "alphas": [0.1, 0.3], "advise_alphas": []})
    assert plain.config_hash == config_from_dict({"datasets": ["compas"], "alphas": [0.1, 0.3]}).config_hash
    assert len({plain.config_hash, some.config_hash, none.config_hash}) == 3

    def ids(cfg):
        return {(u.method, u.alpha): (u.unit_id, u.advise) for job in expand_jobs(cfg)
                for u in job.units if u.family == "collective"}

    a, b, c = ids(plain), ids(some), ids(none)
    for key, (uid, advise) in b.items():
        assert advise == (key[1] == 0.3)
        assert (uid == a[key][0]) == advise  # an advised unit is the same unit as before
        assert c[key][0] != a[key][0] and not c[key][1]
