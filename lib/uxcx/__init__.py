"""uxcx: link usability (UX) measures to customer-experience (CX) outcomes.

The library under the notebooks of the kit: load a study (:func:`load_study`),
measure UX and CX, link them, and save findings for the report.

Names are imported on first use (PEP 562), so the ``uxcx`` command starts
without paying for pandas, pandera and pydantic before it needs them.
"""

from importlib import import_module

from uxcx import _legacy

__version__ = "0.1.0"

_MODULE_EXPORTS = {
    "ux": ["completion_rate", "completion_benchmark", "best_point_estimate", "task_time", "long_times",
           "task_errors", "abandonment", "clicks", "lostness_score", "lostness"],
    "ux.questionnaires": ["sus_score", "sus_subscales", "straight_lining", "sus", "sus_grade",
                          "sus_adjective",
                       "sus_acceptability", "sus_percentile", "sus_norms", "seq", "umux_lite_score",
                       "umux_lite_sus", "umux_lite"],
    "cx": ["nps_category", "nps", "compare_nps", "nps_association", "top_box", "mean_score",
           "likert_distribution", "likert_summary", "trend"],
    "ux.benchmark_mean": ["mean_benchmark"],
    "ux.medians": ["median_score"],
    "cx.nps_benchmark": ["nps_benchmark"],
    "cx.targets": ["target_tests"],
    "cx.scale_reliability": ["scale_index", "cronbach_alpha", "mcdonald_omega", "item_total", "reliability"],
    "ux.compare": ["compare_completion", "compare_times", "compare_ratings", "hedges_g", "adjust_p",
                "sum_score", "sample_size_margin", "sample_size_two_proportions", "sample_size_discovery",
                "discovery"],
    "link.measures": ["participant_measures", "respondent_measures", "join_measures", "per_key"],
    "link.correlations": ["correlate"],
    "_core.padjust": ["p_adjust"],
    "_core.contingency": ["contingency_test"],
    "link.by_level": ["compare_by_level"],
    "link.models": ["regress", "vif"],
    "link.model_tidy": ["tidy", "glance", "effect_sentences"],
    "retention.data": ["survival_data"],
    "retention.curves": ["kaplan_meier", "KaplanMeier"],
    "retention.log_rank": ["logrank"],
    "retention.restricted_mean": ["rmst", "rmst_difference", "lifetime_value", "revenue_at_stake"],
    "retention.proportional_hazards": ["cox", "ph_check", "cox_fit_summary"],
    "retention.churn": ["churn_by_horizon", "hazard_sentences"],
    "retention.sbg": ["sbg_fit", "sbg_project", "sbg_derl"],
    "io.exports": ["split_choices", "parse_timestamps", "detect_export"],
    "io.labels": ["scale_map"],
    "study.privacy": ["personal_columns", "pseudonymise", "safe_table", "write_csv"],
    "link.drivers": ["key_drivers", "driver_quadrants"],
    "link.mediate": ["mediation"],
    "link.power": ["sample_size_correlation", "sample_size_regression", "sample_size_nps"],
}

_EXPORTS = {
    "load_study": "study.load",
    "read_study": "study.study_file",
    "Study": "study.load",
    "Ledger": "study.ledger",
    "save_results": "report.runner",
    "run_report": "report.runner",
    "show_findings": "report.findings",
    "result_frame": "_core.results",
    "UxcxError": "errors",
    "StudyError": "errors",
    "DataError": "errors",
    "Problem": "errors",
    "ComparisonError": "errors",
    "ModelError": "errors",
    "UxcxWarning": "errors",
    "SmallSampleWarning": "errors",
}

_EXPORTS.update({name: module for module, names in _MODULE_EXPORTS.items() for name in names})

__all__ = ["__version__", *_EXPORTS]


_legacy.install()


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'uxcx' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
