"""The top-level names: every export resolves to what it says, none shadowed by a submodule."""

import importlib
import inspect
import pkgutil
import warnings

import pytest

import uxcx
from uxcx import _legacy


@pytest.mark.parametrize("name", sorted(set(uxcx.__all__) - {"__version__"}))
def test_every_export_is_a_function_or_class(name):
    # Import every module first: a submodule named like a function would replace it.
    for module in pkgutil.walk_packages(uxcx.__path__, "uxcx."):
        if module.name != "uxcx._legacy":
            importlib.import_module(module.name)
    value = getattr(uxcx, name)
    assert inspect.isfunction(value) or inspect.isclass(value), f"uxcx.{name} is {value!r}"


@pytest.mark.parametrize("old", sorted(_legacy.MOVED))
def test_old_flat_paths_still_import_with_a_deprecation_warning(old):
    with pytest.warns(DeprecationWarning, match=f"uxcx.{old} moved to uxcx.{_legacy.MOVED[old]}"):
        legacy = importlib.import_module(f"uxcx.{old}")
    new = importlib.import_module(f"uxcx.{_legacy.MOVED[old]}")
    assert legacy is new and new.__spec__.name == new.__name__ == f"uxcx.{_legacy.MOVED[old]}"


def test_every_module_sits_in_a_subpackage_by_stage():
    stages = {"_core", "io", "study", "ux", "cx", "link", "retention", "report", "datasets"}
    top = {m.name for m in pkgutil.iter_modules(uxcx.__path__)}
    assert top - stages == {"errors", "_legacy"}
    assert stages <= top


def test_new_paths_import_without_deprecation_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for module in pkgutil.walk_packages(uxcx.__path__, "uxcx."):
            if module.name != "uxcx._legacy":
                importlib.import_module(module.name)
