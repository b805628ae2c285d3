"""uxcx: link usability (UX) measures to customer-experience (CX) outcomes.

The library under the notebooks of the kit: load a study (:func:`load_study`),
measure UX and CX, link them, and save findings for the report.

Names are imported on first use (PEP 562), so the ``uxcx`` command starts
without paying for pandas, pandera and pydantic before it needs them.
"""

from importlib import import_module

__version__ = "0.1.0"

_MODULE_EXPORTS = {
    "ux": ["completion_rate", "completion_benchmark", "best_point_estimate", "task_time", "long_times",
           "task_errors", "abandonment", "clicks", "lostness_score", "lostness"],
    "questionnaires": ["sus_score", "sus_subscales", "straight_lining", "sus", "sus_grade", "sus_adjective",
                       "sus_acceptability", "sus_percentile", "sus_norms", "seq", "umux_lite_score",
                       "umux_lite_sus", "umux_lite"],
    "cx": ["nps_category", "nps", "compare_nps", "nps_association", "top_box", "mean_score",
           "likert_distribution", "likert_summary", "trend"],
    "scale_reliability": ["scale_index", "cronbach_alpha", "mcdonald_omega", "item_total", "reliability"],
    "compare": ["compare_completion", "compare_times", "compare_ratings", "hedges_g", "adjust_p",
                "sum_score", "sample_size_margin", "sample_size_two_proportions", "sample_size_discovery",
                "discovery"],
    "link": ["participant_measures", "respondent_measures", "join_measures", "per_key"],
    "associations": ["correlate"],
    "padjust": ["p_adjust"],
    "level_compare": ["compare_by_level"],
    "models": ["regress", "vif", "ModelError"],
    "models_tidy": ["tidy", "glance", "effect_sentences"],
    "retention_data": ["survival_data"],
    "retention": ["kaplan_meier", "KaplanMeier"],
    "retention_logrank": ["logrank"],
    "retention_rmst": ["rmst", "rmst_difference", "lifetime_value", "revenue_at_stake"],
    "retention_cox": ["cox", "ph_check"],
    "retention_churn": ["churn_by_horizon", "hazard_sentences"],
    "retention_sbg": ["sbg_fit", "sbg_project", "sbg_derl"],
    "read_exports": ["split_choices", "parse_timestamps", "detect_export"],
    "labels": ["scale_map"],
    "privacy": ["personal_columns", "pseudonymise", "safe_table", "write_csv"],
    "drivers": ["key_drivers", "driver_quadrants"],
    "mediate": ["mediation"],
    "link_power": ["sample_size_correlation", "sample_size_regression", "sample_size_nps"],
}

_EXPORTS = {
    "load_study": "load",
    "read_study": "study",
    "Study": "load",
    "Ledger": "ledger",
    "save_results": "report",
    "run_report": "report",
    "show_findings": "findings",
    "result_frame": "results",
    "UxcxError": "errors",
    "StudyError": "errors",
    "DataError": "errors",
    "Problem": "errors",
    "UxcxWarning": "errors",
    "SmallSampleWarning": "errors",
}

_EXPORTS.update({name: module for module, names in _MODULE_EXPORTS.items() for name in names})

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'uxcx' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
