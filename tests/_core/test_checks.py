"""Tests of uxcx._core.checks (the one set of input checks), the one partial-success rule
(uxcx.ux.completion.partial_credit) and the module structure: no private names imported
across modules, no import cycle in the sample data set."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import uxcx
from uxcx._core.checks import (
    ALTERNATIVES,
    P_ADJUST_METHODS,
    cell_problem,
    check_level,
    check_option,
    numeric,
    require,
    spreadsheet_row,
)
from uxcx.errors import ComparisonError, DataError, ModelError, StudyError, UxcxError
from uxcx.link.measures import participant_measures
from uxcx.ux.compare import compare_completion, sum_score
from uxcx.ux.completion import completion_rate, partial_credit

LIB = Path(uxcx.__file__).parent


def loaded(frame: pd.DataFrame, first_row: int = 2) -> pd.DataFrame:
    """``frame`` as load_study gives it: indexed by the spreadsheet row (header = row 1)."""
    out = frame.copy()
    out.index = pd.Index(range(first_row, first_row + len(out)), name="row")
    out.attrs["source"] = "usability.csv"
    return out


# --- numeric: every bad cell, with row, column, value, expected and a fix ----------------------

def test_numeric_lists_every_bad_row_as_the_spreadsheet_numbers_it():
    d = loaded(pd.DataFrame({"success": [1, "yes", 0.5, 2, None, -1, "n/a"]}))
    with pytest.raises(DataError) as err:
        numeric(d, "success", "success", expected="1, 0 or 0.5", allowed={0, 0.5, 1})
    found = [(p.file, p.row, p.column, p.value, p.reason, p.expected) for p in err.value.problems]
    assert found == [
        ("usability.csv", 3, "success", "yes", "not a number (success='success')", "1, 0 or 0.5"),
        ("usability.csv", 5, "success", 2, "value not allowed (success='success')", "1, 0 or 0.5"),
        ("usability.csv", 7, "success", -1, "value not allowed (success='success')", "1, 0 or 0.5"),
        ("usability.csv", 8, "success", "n/a", "not a number (success='success')", "1, 0 or 0.5"),
    ]
    assert all(p.hint for p in err.value.problems)
    text = str(err.value)
    assert text.startswith("4 problems in usability.csv")
    assert "usability.csv, row 3, column 'success': not a number (success='success') (value 'yes'); " \
           "expected 1, 0 or 0.5. Fix: correct the cell" in text


def test_numeric_reads_numbers_and_keeps_missing():
    d = pd.DataFrame({"t": ["1.5", 2, None, True]})
    assert numeric(d, "t").tolist()[:2] == [1.5, 2.0]
    assert np.isnan(numeric(d, "t").iloc[2])
    flags = pd.DataFrame({"f": pd.array([True, None, False], dtype="boolean")})
    assert numeric(flags, "f", allowed={0, 1}).tolist()[::2] == [1.0, 0.0]


def test_numeric_minimum_strict_and_not_strict():
    d = loaded(pd.DataFrame({"time_s": [0, 3, -2]}))
    with pytest.raises(DataError) as err:
        numeric(d, "time_s", minimum=0, strict=True, expected="a time above 0")
    assert [p.row for p in err.value.problems] == [2, 4]
    with pytest.raises(DataError) as err:
        numeric(d, "time_s", minimum=0)
    assert [p.row for p in err.value.problems] == [4]


def test_numeric_on_a_frame_not_indexed_by_row_names_the_index_label():
    d = pd.DataFrame({"nps": [5, "x"]}, index=["P1", "P2"])
    with pytest.raises(DataError) as err:
        numeric(d, "nps")
    (problem,) = err.value.problems
    assert problem.row is None and problem.column == "nps" and problem.value == "x"
    assert "index label 'P2'" in problem.reason
    # a RangeIndex counts from 0: it is not the spreadsheet's row either
    with pytest.raises(DataError) as err:
        numeric(pd.DataFrame({"nps": ["x", 1]}), "nps")
    assert err.value.problems[0].row is None and "index label 0" in err.value.problems[0].reason


def test_numeric_lists_every_row_even_past_those_the_message_shows():
    d = loaded(pd.DataFrame({"errors": ["x"] * 30}))
    with pytest.raises(DataError) as err:
        numeric(d, "errors")
    assert [p.row for p in err.value.problems] == list(range(2, 32))
    assert "... and 10 more problems" in str(err.value)


def test_numeric_with_duplicate_index_labels():
    d = pd.DataFrame({"v": [1, "a", "b"]}, index=pd.Index([2, 2, 3], name="row"))
    with pytest.raises(DataError) as err:
        numeric(d, "v")
    assert [(p.row, p.value) for p in err.value.problems] == [(2, "a"), (3, "b")]


def test_spreadsheet_row_and_cell_problem():
    assert spreadsheet_row(pd.Index([5], name="row"), 5) == 5
    assert spreadsheet_row(pd.Index([5]), 5) is None
    assert spreadsheet_row(pd.Index(["a"], name="row"), "a") is None
    p = cell_problem("f.csv", pd.Index([4], name="row"), 4, "c", 9, "too big", expected="below 5",
                     hint="fix it")
    assert (p.file, p.row, p.column, p.value, p.reason, p.expected, p.hint) == (
        "f.csv", 4, "c", 9, "too big", "below 5", "fix it")


# --- require: every missing column, with a did-you-mean -------------------------------------

def test_require_lists_every_missing_column_with_the_closest_name():
    d = pd.DataFrame({"sucess": [1], "time_s": [3.0], "Design": ["A"]})
    d.attrs["source"] = "usability.csv"
    with pytest.raises(DataError) as err:
        require(d, {"success": "success", "by": "design", "subject": "participant", "task": None})
    problems = {p.column: p for p in err.value.problems}
    assert list(problems) == ["success", "design", "participant"]
    assert all(p.file == "usability.csv" and p.row is None for p in problems.values())
    assert problems["success"].reason == "the column is missing (success='success')"
    assert problems["success"].hint.startswith("did you mean 'sucess'? Pass the right name as success=")
    assert problems["design"].hint.startswith("did you mean 'Design'? ")  # the same name in other case
    assert "did you mean" not in problems["participant"].hint
    assert "(the data have: sucess, time_s, Design)" in problems["participant"].hint


def test_require_with_a_list_and_a_hint():
    d = pd.DataFrame({"sus_1": [3]})
    require(d, ["sus_1"])  # present: nothing raised
    with pytest.raises(DataError, match=r"column 'sus_2': the column is missing; .*Fix: did you mean "
                                        r"'sus_1'\? map the items") as err:
        require(d, ["sus_1", "sus_2", "sus_2"], hint="map the items")
    assert len(err.value.problems) == 1  # a column named twice is reported once
    with pytest.raises(UxcxError, match="must be a pandas DataFrame"):
        require([1, 2], ["a"])


def test_every_analysis_reports_a_missing_column_the_same_way():
    d = pd.DataFrame({"design": ["A", "B"] * 3, "sucess": [1, 0] * 3, "participant": range(6)})
    for call in (lambda: completion_rate(d), lambda: compare_completion(d),
                 lambda: sum_score(d.assign(task="t"), time=None, errors=None, satisfaction=None)):
        with pytest.raises(DataError) as err:
            call()
        (problem,) = [p for p in err.value.problems if p.column == "success"]
        assert problem.reason.startswith("the column is missing")
        assert "did you mean 'sucess'?" in problem.hint


# --- options, levels and the shared vocabularies ---------------------------------------------

def test_option_and_level_checks_name_the_parameter():
    with pytest.raises(UxcxError, match="method must be one of 'a', 'b'; got 'c'"):
        check_option("method", "c", ("a", "b"))
    with pytest.raises(ComparisonError, match="confidence_level must be a number between 0 and 1"):
        check_level(95, error=ComparisonError)
    with pytest.raises(UxcxError):
        check_level(True)
    assert check_level("0.9") == 0.9


def test_vocabularies_are_defined_once():
    from uxcx._core import compare, padjust

    assert ALTERNATIVES == ("two-sided", "less", "greater")
    assert P_ADJUST_METHODS == ("holm", "fdr_bh", "bonferroni", "none")
    assert compare.P_ADJUST_METHODS is P_ADJUST_METHODS and compare.ALTERNATIVES is ALTERNATIVES
    assert not hasattr(padjust, "P_ADJUST_CHOICES")
    with pytest.raises(UxcxError, match="method must be one of 'holm', 'fdr_bh', 'bonferroni', 'none'"):
        padjust.p_adjust([0.1], "BH")
    # no other module spells them out again in code (docstrings may name the choices)
    vocabularies = ({"two-sided", "less", "greater"}, {"holm", "fdr_bh", "bonferroni", "none"})
    spelled = []
    for module, _path, tree in _modules():
        for node in ast.walk(tree):
            # a dict of constants is a vocabulary; one of computed values dispatches on the alternative
            constant_dict = (isinstance(node, ast.Dict)
                             and all(isinstance(v, ast.Constant) for v in node.values))
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)) or constant_dict:
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                values = {item.value for item in items if isinstance(item, ast.Constant)}
                if any(v <= values for v in vocabularies):
                    spelled.append(module)
    assert spelled == ["uxcx._core.checks"] * 2


def test_error_classes_live_in_errors_and_are_still_importable_from_their_old_homes():
    from uxcx._core import compare as core_compare
    from uxcx.link import models
    from uxcx.ux import compare

    assert core_compare.ComparisonError is compare.ComparisonError is ComparisonError
    assert models.ModelError is uxcx.ModelError is ModelError
    assert uxcx.ComparisonError is ComparisonError
    for cls in (ComparisonError, ModelError, DataError, StudyError):
        assert cls.__module__ == "uxcx.errors"
        assert issubclass(cls, UxcxError) and issubclass(cls, ValueError)
    defined = {node.name: path.relative_to(LIB) for path in LIB.rglob("*.py")
               for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ClassDef)
               and node.name.endswith("Error")}
    assert {str(p) for p in defined.values()} == {"errors.py"}, defined


# --- the one partial-success rule ----------------------------------------------------------------

def test_partial_credit():
    s = pd.Series([1, 0.5, 0, np.nan], index=[5, 6, 7, 8])
    assert partial_credit(s).tolist()[:3] == [1.0, 0.5, 0.0]
    assert partial_credit(s, 0).tolist()[:3] == [1.0, 0.0, 0.0]
    assert partial_credit(s, 1).index.tolist() == [5, 6, 7, 8]
    assert s.tolist()[1] == 0.5  # the caller's Series is unchanged
    for bad in (1.5, -0.1, "half", True, None):
        with pytest.raises(UxcxError, match="partial must be between 0 and 1"):
            partial_credit(s, bad)
    with pytest.raises(ComparisonError):
        partial_credit(s, 2, error=ComparisonError)


@pytest.mark.filterwarnings("ignore::uxcx.errors.UxcxWarning")
@pytest.mark.parametrize("partial", [0, 0.5, 1])
def test_all_four_callers_credit_a_partial_success_alike(partial):
    # 8 participants, 2 tasks each; design A holds three partial successes, design B one.
    success = {"A": [1, 0.5, 0.5, 0, 1, 1, 0.5, 1], "B": [0, 1, 0.5, 0, 0, 1, 1, 0]}
    rows = [{"participant": f"{design}{p // 2}", "design": design, "task": f"t{p % 2}", "success": s,
             "time_s": 30.0 + p}
            for design, values in success.items() for p, s in enumerate(values)]
    d = pd.DataFrame(rows)
    credit = {k: np.mean([partial if s == 0.5 else s for s in v]) for k, v in success.items()}

    rates = completion_rate(d, by="design", partial=partial).set_index("design")["estimate"]
    assert rates.to_dict() == pytest.approx(credit)

    diff = compare_completion(d, by="design", partial=partial, reference="B")["estimate"].iloc[0]
    assert diff == pytest.approx(credit["A"] - credit["B"])

    per_person = participant_measures(d, partial_success=partial)
    assert per_person.groupby("design")["success_rate"].mean().to_dict() == pytest.approx(credit)

    r = sum_score(d, by=["design", "task"], time=None, errors=None, satisfaction=None, partial=partial,
                  n_boot=10, seed=1)
    comp = r[(r["term"] == "completion") & (r["task"] == "All tasks")].set_index("design")["estimate"]
    assert comp.to_dict() == pytest.approx(credit)

    # and each records the credit in its method column as documented
    rate_method = completion_rate(d, partial=partial)["method"].iloc[0]
    assert rate_method.startswith(f"adjusted-wald; partial={partial:g}")
    method = compare_completion(d, by="design", partial=partial)["method"].iloc[0]
    assert (f"partial success = {partial:g}" in method) == (partial != 0.5)
    sum_method = r.loc[r["term"] == "completion", "method"].iloc[0]
    assert f"partial success = {partial:g}" in sum_method


def test_partial_credit_is_the_only_place_the_rule_is_written():
    rule = [str(path.relative_to(LIB)) for path in LIB.rglob("*.py")
            if "!= 0.5" in path.read_text() and path.name != "completion.py"]
    assert rule == []


# --- module structure -----------------------------------------------------------------------

def _modules():
    for path in sorted(LIB.rglob("*.py")):
        parts = path.relative_to(LIB.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def test_no_module_imports_a_private_name_from_another_module():
    offenders = []
    for module, path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _absolute(module, node, path.name == "__init__.py")
            if not source.startswith("uxcx") or source == "__future__":
                continue
            for alias in node.names:
                name = alias.name
                private = name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
                if source == "uxcx" and name == "_legacy":
                    continue  # the package's own shim for old module paths
                if private or (alias.asname or "").startswith("_"):
                    offenders.append(f"{path.relative_to(LIB)}:{node.lineno} from {source} import "
                                     f"{name}{' as ' + alias.asname if alias.asname else ''}")
    assert offenders == []


def _imports(tree: ast.Module, module: str, is_package: bool, *, top_level: bool = True) -> set[str]:
    """Modules (and names, as ``module.name``) imported on import, or anywhere when not ``top_level``."""
    found = set()
    for node in tree.body if top_level else ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, is_package)
            found.add(source)
            found.update(f"{source}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_sample_and_sample_text_do_not_import_each_other():
    trees = {name: (tree, path.name == "__init__.py") for name, path, tree in _modules()}
    sample, text = "uxcx.datasets.sample", "uxcx.datasets.sample_text"
    assert text in _imports(trees[sample][0], sample, False)  # the README writer, at the top
    # the text side never imports the simulation, not even inside a function
    anywhere = _imports(trees[text][0], text, False, top_level=False)
    assert not any(m == sample or m.startswith(sample + ".") for m in anywhere)
    for name in (sample, text):  # both read the one model
        assert "uxcx.datasets.sample_model" in _imports(trees[name][0], name, False)


def test_no_import_cycle_between_modules_at_top_level():
    trees = {name: (tree, path.name == "__init__.py") for name, path, tree in _modules()}
    graph = {name: {m for m in _imports(tree, name, pkg) if m in trees and m != name}
             for name, (tree, pkg) in trees.items()}
    for name in graph:  # importing a module runs its package's __init__ first: not an edge of its own
        graph[name] -= {p for p in graph if name.startswith(p + ".")}
    mutual = sorted((a, b) for a in graph for b in graph[a] if a < b and a in graph.get(b, ()))
    assert mutual == []
