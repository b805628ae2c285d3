"""The study file: validation with did-you-mean, paths, links."""

import pytest

from uxcx import StudyError, read_study

CSV = "id,score\nA,5\n"


def test_valid_minimal_study(make_study):
    path = make_study({"s.csv": "Response,NPS\nR1,9\n"},
                      {"survey": {"path": "s.csv", "columns": {"Response": "respondent"}}})
    config, resolved = read_study(path)
    assert config.name == "t"
    assert config.analysis.confidence_level == 0.95
    assert config.on_invalid == "drop"
    assert resolved.is_absolute()


def test_unknown_key_has_did_you_mean(make_study):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv", "colums": {"id": "respondent"}}})
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "sources.survey.colums: unknown key; did you mean 'columns'?" in text
    assert str(path) in text


def test_unknown_analysis_key_and_top_level_key(make_study):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv"}},
                      analysis={"confidence": 0.9}, on_invalide="stop")
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert len(err.value.messages) == 2  # every problem at once
    text = str(err.value)
    assert "analysis.confidence: unknown key; did you mean 'confidence_level'?" in text
    assert "on_invalide: unknown key; did you mean 'on_invalid'?" in text


def test_unknown_source_name(make_study):
    path = make_study({"s.csv": CSV}, {"surveys": {"path": "s.csv"}})
    with pytest.raises(StudyError, match="unknown source 'surveys'; did you mean 'survey'"):
        read_study(path)


def test_missing_file_names_resolved_path(make_study, tmp_path):
    path = make_study({"survey.csv": CSV}, {"survey": {"path": "survy.csv"}})
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert str(tmp_path / "survy.csv") in str(err.value)
    assert "did you mean 'survey.csv'" in str(err.value)


def test_bad_values_are_explained(make_study):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv"}},
                      analysis={"confidence_level": 95, "p_adjust": "holmes"})
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "analysis.confidence_level" in text and "95" in text
    assert "analysis.p_adjust" in text and "holmes" in text


def test_links_must_name_mapped_roles(make_study):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv", "columns": {"id": "respondent"}}},
                      links=[["survey.customer", "customers.customer"], ["survey"] * 2])
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "names source 'customers', which the study does not have" in text
    assert "should be source.role" in text


def test_link_to_a_role_no_column_has(make_study):
    from uxcx import load_study

    path = make_study({"s.csv": CSV, "c.csv": "customer\nC1\n"},
                      {"survey": {"path": "s.csv", "columns": {"id": "respondent"}},
                       "customers": {"path": "c.csv"}},
                      links=[["survey.customer", "customers.customer"]])
    with pytest.raises(StudyError, match="no column of survey is mapped to role 'customer'"):
        load_study(path)


def test_not_yaml_and_not_a_mapping(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(StudyError, match="not readable as YAML"):
        read_study(bad)
    bad.write_text("- a list\n")
    with pytest.raises(StudyError, match="expected a mapping"):
        read_study(bad)
    with pytest.raises(StudyError, match="no such file"):
        read_study(tmp_path / "nothing.yml")


def test_role_names_must_be_names(make_study):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv", "columns": {"id": "Respondent ID"}}})
    with pytest.raises(StudyError, match="roles must be lower-case names"):
        read_study(path)


def test_value_map_patterns():
    from uxcx.study.study_file import SourceConfig

    config = SourceConfig(path="x.csv", values={"sus_*": {"Agree": 4}, "csat": {"Good": 4}})
    assert config.value_map("sus_7") == {"Agree": 4}
    assert config.value_map("csat") == {"Good": 4}
    assert config.value_map("nps") is None


# --- every setting a notebook needs is checked by `uxcx validate` (issue 15) -------------

@pytest.mark.parametrize("analysis, where", [
    ({"seed": -1}, "analysis.seed"),                 # numpy: "expected non-negative integer"
    ({"seed": True}, "analysis.seed"),
    ({"seed": 1.5}, "analysis.seed"),
    ({"seed": 2**64}, "analysis.seed"),
    ({"horizons": []}, "analysis.horizons"),
    ({"horizons": [0, 6]}, "analysis.horizons"),
    ({"horizons": [-3]}, "analysis.horizons"),
    ({"horizons": [float("inf")]}, "analysis.horizons"),
    ({"confidence_level": float("nan")}, "analysis.confidence_level"),
    ({"alpha": 1}, "analysis.alpha"),
    ({"observed_until": "2024-02-30"}, "analysis.observed_until"),
])
def test_settings_a_notebook_would_fail_on_are_refused_by_validate(make_study, capsys, analysis, where):
    from uxcx.report.cli import main

    path = make_study({"s.csv": "Response,NPS\nR1,9\n"},
                      {"survey": {"path": "s.csv", "columns": {"Response": "respondent"}}},
                      analysis=analysis)
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert where in str(err.value)
    assert main(["validate", str(path)]) == 1
    assert where in capsys.readouterr().err


def test_seeds_that_validate_seed_the_generator(make_study):
    from uxcx._core.bootstrap import generator

    for seed in (0, 2**63 - 1):
        path = make_study({"s.csv": "Response\nR1\n"},
                          {"survey": {"path": "s.csv", "columns": {"Response": "respondent"}}},
                          analysis={"seed": seed, "horizons": [12, 3, 6, 3]})
        config, _ = read_study(path)
        assert generator(config.analysis.seed).integers(10) in range(10)
        assert config.analysis.horizons == [3, 6, 12]  # in order, once each


@pytest.mark.parametrize("extra, where", [
    ({"ranges": {"nps": [10, 0]}}, "sources.survey.ranges"),
    ({"ranges": {"nps": [float("nan"), 10]}}, "sources.survey.ranges"),
    ({"max_file_mb": 0}, "sources.survey.max_file_mb"),
])
def test_source_settings_out_of_order_are_refused(make_study, extra, where):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv", **extra}})
    with pytest.raises(StudyError, match=where):
        read_study(path)


@pytest.mark.parametrize("bounds", [[5, 1], [3, 3], [1, float("inf")]])
def test_an_item_range_must_run_from_low_to_high(make_study, bounds):
    path = make_study({"s.csv": CSV}, {"survey": {"path": "s.csv"}},
                      measures={"items": {"item_x": {"range": bounds, "side": "ux"}}})
    with pytest.raises(StudyError, match="measures.items.item_x.range"):
        read_study(path)
