"""uxcx.study.plan: what a study can answer, read from the study (never from the sample's names)."""

import pandas as pd

from uxcx.study import plan


def test_tested_ux_measures_keep_those_with_enough_answers():
    people = pd.DataFrame({"sus": range(12), "time_s": [1.0] * 5 + [None] * 7, "design": ["A"] * 12})
    assert plan.tested_ux_measures(people) == ["sus"]
    assert plan.tested_ux_measures(people, minimum=5) == ["sus", "time_s"]
    assert plan.tested_ux_measures(None) == []


def test_design_comparison_says_why_it_cannot_run():
    tasks = pd.DataFrame({"participant": ["P1", "P2", "P3", "P4"], "task": ["a", "a", "b", "c"],
                          "success": [1, 0, 1, 1], "group": ["x", "y", "x", "y"]})
    assert plan.design_comparison_missing(tasks, "group") == ""
    assert plan.crossed_tasks(tasks, "group") == ["a"]
    disjoint = tasks.assign(task=["a", "b", "c", "d"])
    assert plan.design_comparison_missing(disjoint, "group") == "no task was attempted under every group"
    assert plan.design_comparison_missing(tasks, None).startswith("the study names no design factor")
    assert plan.design_comparison_missing(None, "group") == "this study has no usability rows"


def test_reader_names_come_from_the_roles():
    assert plan._from_role("ease_checkout") == "Ease: checkout"  # noqa: SLF001 (the rule itself)
    assert plan._from_role("sus_10") == "SUS item 10"
