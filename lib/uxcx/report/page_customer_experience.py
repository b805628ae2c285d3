"""Notebook 02, Customer experience: one method per section, each run only when the survey feeds it.

Answers come from the study's ``survey`` source; segments from ``analysis.segments`` (or the
notebook's ``segment``), rated items grouped by answer scale (:func:`uxcx.study.plan.rating_scales`),
the loyalty items from ``measures.loyalty_index`` (else the ``loyalty_*`` roles), and the
targets from ``measures.targets`` (:mod:`uxcx.study.targets`).
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.page import Page, show

__all__ = ["CustomerExperience"]

CX_MEASURES = ["nps", "csat", "ces"]  # the measures tested against the study's targets


def _has(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` holds ``column`` with at least one value."""
    return column in frame and frame[column].notna().any()


class CustomerExperience(Page):
    """The analyses of notebook 02 on one study (see the notebook's parameters).

    Parameters
    ----------
    study, out_dir
        As :class:`uxcx.report.page.Page`.
    segment : str
        A segment column to break results down by; empty: every segment of
        ``analysis.segments`` that the survey holds with two or more values.
    period : str
        Trend periods: ``"month"``, ``"quarter"``, ``"year"`` or a column such as a release.
    alternative : str
        The target tests: ``"greater"``, ``"less"`` or ``"two-sided"``.

    Raises
    ------
    uxcx.errors.StudyError
        When the study has no ``survey`` source (the report runner skips the notebook then).
    """

    def __init__(
        self,
        study,
        out_dir: str = "",
        *,
        segment: str = "",
        period: str = "quarter",
        alternative: str = "greater",
    ):
        from uxcx.errors import StudyError
        from uxcx.study import plan

        super().__init__(study, out_dir, name="02_customer_experience")
        s = self.study
        if "survey" not in s.frames:
            raise StudyError(
                f"notebook 02 (customer experience) {plan.unmet(s, ['cx'])}; "
                "add a survey source to the study file's sources:",
                s.path,
            )
        self.survey = s["survey"]
        self.by_segment = [segment] if segment else plan.segments(s, self.survey)
        self.names = plan.labels(s, self.survey.columns)
        self.period, self.alternative = period, alternative

    def describe(self) -> str:
        """One line: how many respondents, and the segments results are broken down by."""
        return (
            f"{len(self.survey):,} respondents; "
            f"segments: {', '.join(self.by_segment) or 'none in this survey'}"
        )

    def nps(self) -> None:
        """The NPS with its adjusted-Wald interval, and its bars by the first two segments."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        survey, names = self.survey, self.names
        if not self.sections.run("Net Promoter Score", plan.missing(survey, ["nps"], "survey")):
            return
        score = uxcx.nps(survey, **self.options)
        self.results["nps"] = score
        self.notes += findings.nps_findings(score)
        show(plots.table(score))
        for name in self.by_segment[:2]:
            plots.nps_bars(
                uxcx.nps(survey, by=name, **self.options),
                by=name,
                labels=names,
                title=f"NPS by {names.get(name, name)}",
            )

    def rated_items(self) -> None:
        """Diverging bars and a summary table of the rated items, one chart per answer scale."""
        import uxcx
        from uxcx.report import plots
        from uxcx.study import plan

        survey = self.survey
        scales = plan.rating_scales(self.study, survey)
        if not self.sections.run(
            "Rated items", "" if scales else "the survey has no rated items besides NPS"
        ):
            return
        for scale, items in scales.items():
            plots.likert_bars(
                uxcx.likert_distribution(survey, items=items, scale=scale),
                scale=scale,
                labels=self.names,
                title=f"Items on {scale[0]:g}-{scale[1]:g}",
            )
            show(plots.table(uxcx.likert_summary(survey, items=items, scale=scale, **self.options)))

    def satisfaction(self) -> None:
        """CSAT as the top-2-box share and a mean, CES as a mean, where the survey has them."""
        import uxcx
        from uxcx.report import findings, plots

        survey, parts = self.survey, []
        if _has(survey, "csat"):
            satisfied = uxcx.top_box(survey, score="csat", **self.options)
            csat_mean = uxcx.mean_score(survey, score="csat", **self.options)
            self.results.update(csat_top2=satisfied, csat_mean=csat_mean)
            self.notes += findings.share_findings(satisfied, what="Satisfied customers (CSAT 4 or 5 of 5)")
            parts += [satisfied, csat_mean]
        if _has(survey, "ces"):
            effort = uxcx.mean_score(survey, score="ces", **self.options)
            self.results["ces_mean"] = effort
            self.notes += findings.mean_findings(effort, what="Customer effort", scale="1-7, 7 = very easy")
            parts.append(effort)
        if self.sections.run(
            "Satisfaction and effort", "" if parts else "the survey has no csat or ces values"
        ):
            show(plots.table(pd.concat(parts, ignore_index=True)))

    def targets(self) -> None:
        """NPS, CSAT and CES against the targets the study states (``measures.targets``)."""
        import uxcx
        from uxcx.report import plots
        from uxcx.report.findings_benchmark import target_findings
        from uxcx.study import targets

        s, survey = self.study, self.survey
        if not self.sections.run(
            "Against the study's targets", targets.untargeted_reason(s, survey, CX_MEASURES, "survey")
        ):
            return
        against = uxcx.target_tests(
            survey, targets.targets_for(s, survey, CX_MEASURES), alternative=self.alternative, **self.options
        )
        self.results["targets"] = against
        self.notes += target_findings(against, labels=self.names, alpha=self.settings.alpha)
        show(plots.table(against))

    def segments(self) -> None:
        """Each segment's NPS against the first, the NPS mix by segment, and CSAT by the first segment."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        survey, by_segment = self.survey, self.by_segment
        no_segment = (
            "" if by_segment else "the survey holds none of analysis.segments with two or more values"
        )
        if not self.sections.run("Segments", plan.missing(survey, ["nps"], "survey") or no_segment):
            return
        segments = pd.concat(
            [
                uxcx.compare_nps(survey, by=name, p_adjust=self.settings.p_adjust, **self.options)
                for name in by_segment
            ],
            ignore_index=True,
        )
        self.results["nps_by_segment"] = segments
        self.notes += findings.segment_findings(segments, alpha=self.settings.alpha)
        show(plots.table(segments))
        show(
            plots.table(
                pd.concat([uxcx.nps_association(survey, by=name) for name in by_segment], ignore_index=True)
            )
        )
        if _has(survey, "csat"):
            show(plots.table(uxcx.top_box(survey, score="csat", by=by_segment[0], **self.options)))

    def loyalty(self) -> None:
        """The loyalty index's reliability (Cronbach's alpha, McDonald's omega) and item-total table."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        survey = self.survey
        items = plan.index_items(self.study, survey, "loyalty_index")
        if not self.sections.run(
            "Loyalty index",
            ""
            if len(items) >= 2
            else "the survey has fewer than two loyalty items (loyalty_* roles or measures.loyalty_index)",
        ):
            return
        loyalty = uxcx.reliability(survey, items=items, **self.options)
        self.results["loyalty_reliability"] = loyalty
        self.notes += findings.reliability_findings(loyalty, what="The loyalty index")
        show(plots.table(loyalty))
        show(plots.table(uxcx.item_total(survey, items=items)))

    def over_time(self) -> None:
        """NPS and the CSAT top-2-box share per period, as tracking charts."""
        import uxcx
        from uxcx.report import findings, plots

        survey, period = self.survey, self.period
        dated = (
            ""
            if period in survey or _has(survey, "date")
            else "the survey has no date column to place answers in time"
        )
        trended = [m for m in ("nps", "csat") if _has(survey, m)]
        if not self.sections.run(
            "Over time", dated or ("" if trended else "the survey has no nps or csat values")
        ):
            return
        if "nps" in trended:
            nps_trend = uxcx.trend(survey, measure="nps", period=period, **self.options)
            self.results["nps_trend"] = nps_trend
            self.notes += findings.trend_findings(nps_trend, what="NPS")
            plots.trend_chart(nps_trend, ylabel="NPS (−100 to 100)", xlabel=period, title=f"NPS by {period}")
        if "csat" in trended:
            csat_trend = uxcx.trend(survey, measure="csat_top2", period=period, **self.options)
            plots.trend_chart(
                csat_trend,
                ylabel="satisfied (CSAT 4 or 5 of 5)",
                percent=True,
                xlabel=period,
                title=f"CSAT by {period}",
            )
