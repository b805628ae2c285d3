"""Old flat module paths (``uxcx.ux_common``, ``uxcx.retention_cox``, ...) for one release.

Until 0.2 the package was one flat folder; its modules now live in subpackages by
stage (see DESIGN.md). Importing an old path returns the module at its new home,
the same object, with a :class:`DeprecationWarning` naming the new path.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

# old module name -> its new home
MOVED = {
    "checks": "_core.checks", "results": "_core.results", "padjust": "_core.padjust",
    "ux_common": "_core.common", "compare_core": "_core.compare", "compare_effects": "_core.effects",
    "compare_rating_tests": "_core.rating_tests",
    "read_csv": "io.delimited", "read_shared": "io.shared", "read_xlsx_parquet_json": "io.xlsx_parquet_json",
    "read_exports": "io.exports", "read_wide": "io.wide", "labels": "io.labels",
    "schema": "study.schema", "coerce": "study.coerce", "validate": "study.validate",
    "ledger": "study.ledger", "privacy": "study.privacy", "quality": "study.quality", "load": "study.load",
    "export_options": "study.export_options",
    "ux_completion": "ux.completion", "ux_counts": "ux.counts", "ux_time": "ux.timing",
    "questionnaires": "ux.questionnaires", "questionnaires_norms": "ux.norms",
    "questionnaires_short": "ux.short_questionnaires", "questionnaires_stats": "ux.questionnaire_stats",
    "compare": "ux.compare", "compare_planning": "ux.planning", "compare_sum": "ux.single_metric",
    "cx_common": "cx.common", "cx_nps": "cx.nps", "cx_ratings": "cx.ratings", "cx_compare": "cx.compare",
    "cx_trend": "cx.trends", "scale_scoring": "cx.scale_scoring", "scale_reliability": "cx.scale_reliability",
    "associations": "link.correlations", "level_compare": "link.by_level",
    "level_effects": "link.level_effects",
    "models": "link.models", "models_tidy": "link.model_tidy", "drivers": "link.drivers",
    "drivers_boot": "link.drivers_boot", "mediate": "link.mediate", "mediate_boot": "link.mediate_boot",
    "link_power": "link.power",
    "retention_data": "retention.data", "retention_logrank": "retention.log_rank",
    "retention_rmst": "retention.restricted_mean", "retention_cox": "retention.proportional_hazards",
    "retention_churn": "retention.churn", "retention_sbg": "retention.sbg",
    "cli": "report.cli", "findings": "report.findings", "findings_link": "report.findings_link",
    "findings_retention": "report.findings_retention", "plots": "report.plots",
    "plots_link": "report.plots_link", "plots_survival": "report.plots_survival",
    "sample": "datasets.sample", "sample_text": "datasets.sample_text",
}


class _Loader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self.real_spec = module.__spec__
        return module

    def exec_module(self, module):
        # Already executed under its new name; the import system has just replaced the
        # module's __spec__ with the alias's, so give it back its own.
        module.__spec__ = self.real_spec


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        package, _, leaf = fullname.rpartition(".")
        if package != "uxcx" or leaf not in MOVED:
            return None
        new = f"uxcx.{MOVED[leaf]}"
        warnings.warn(f"{fullname} moved to {new}; the old path goes in uxcx 0.2", DeprecationWarning,
                      stacklevel=3)
        return importlib.util.spec_from_loader(fullname, _Loader(new))


def install() -> None:
    """Serve the old paths (called once by ``uxcx/__init__``; idempotent)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
