"""The top-level names: every export resolves to what it says, none shadowed by a submodule."""

import inspect

import pytest

import uxcx


@pytest.mark.parametrize("name", sorted(set(uxcx.__all__) - {"__version__"}))
def test_every_export_is_a_function_or_class(name):
    # Import every module first: a submodule named like a function would replace it.
    modules = ("ux", "questionnaires", "compare", "cx", "scale_reliability", "load", "report", "link",
               "plots")
    for module in modules:
        __import__(f"uxcx.{module}")
    value = getattr(uxcx, name)
    assert inspect.isfunction(value) or inspect.isclass(value), f"uxcx.{name} is {value!r}"
