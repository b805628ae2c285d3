"""Notebook 01, Usability: one method per section, each run only when the study feeds it.

Task rows come from the study's ``usability`` source, SUS and UMUX-Lite answers from its
``questionnaire`` (or ``survey``) source (:func:`uxcx.link.questionnaire_frame`). The design
factor compared is the notebook's ``design``, else the study's (:func:`uxcx.study.plan.design`:
``measures.design``, else the first segment with two or more designs). The completion rates of
:meth:`Usability.completion` are kept on the page: the design comparison words its findings
against them.
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.page import Page, show

__all__ = ["Usability"]

SUS_ITEMS = [f"sus_{i}" for i in range(1, 11)]


def _has(frame: pd.DataFrame | None, column: str) -> bool:
    """Whether ``frame`` holds ``column`` with at least one value."""
    return frame is not None and column in frame and frame[column].notna().any()


class Usability(Page):
    """The analyses of notebook 01 on one study (see the notebook's parameters).

    Parameters
    ----------
    study, out_dir
        As :class:`uxcx.report.page.Page`.
    design : str
        The column holding the designs compared; empty: from the study.
    reference : str, optional
        The design the others are compared against (default: the first in sort order).
    alternative : str
        The SUS benchmark test: ``"greater"``, ``"less"`` or ``"two-sided"``.
    """

    def __init__(
        self, study, out_dir: str = "", *, design: str = "", reference=None, alternative: str = "greater"
    ):
        from uxcx import link
        from uxcx.study import plan

        super().__init__(study, out_dir, name="01_usability")
        u = self.study.frames.get("usability")
        self.usability = u if u is not None and len(u) else None
        self.design = design or plan.design(self.study, self.usability)
        self.by_task = ["task", self.design] if self.design else ["task"]
        self.questionnaire = link.questionnaire_frame(self.study, self.usability)
        q = self.questionnaire
        self.sus_by = self.design if q is not None and self.design in q else None
        self.reference, self.alternative = reference, alternative
        self.rates = None  # completion by task: completion() shows it, compare_designs() words against it

    def describe(self) -> str:
        """One line: the study's sources, the design factor and how partial success counts."""
        from uxcx.study import plan

        design = self.design
        return (
            plan.describe_sources(self.study)
            + (f"; designs compared by {design!r}" if design else "; no design factor to compare")
            + f"; partial success counts as {self.settings.partial_success}"
        )

    @property
    def labels(self) -> dict[str, str]:
        from uxcx.study import plan

        return plan.labels(self.study)

    def task_rates(self) -> pd.DataFrame:
        """Completion by task (and design), computed once and kept, whichever section asks first."""
        import uxcx

        if self.rates is None:
            self.rates = uxcx.completion_rate(
                self.usability, by=self.by_task, partial=self.settings.partial_success, **self.options
            )
        return self.rates

    def completion(self) -> None:
        """Completion rate per task (and design) with adjusted-Wald intervals, and overall."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        u, design, partial = self.usability, self.design, self.settings.partial_success
        if not self.sections.run("Task completion", plan.missing(u, ["task", "success"], "usability")):
            return
        self.task_rates()
        overall = uxcx.completion_rate(u, by=design, partial=partial, **self.options)
        self.results.update(completion=overall, completion_by_task=self.rates)
        self.notes += findings.rate_findings(overall, by=design)
        show(plots.table(self.rates))
        plots.dot_whisker(
            self.rates,
            y="task",
            hue=design,
            percent=True,
            xlabel="completion rate",
            labels=self.labels,
            title="Completion by task" + (f" and {design}" if design else ""),
        )

    def task_time(self) -> None:
        """Geometric mean time of successful attempts per task, and the unusually long attempts."""
        import uxcx
        from uxcx.report import plots
        from uxcx.study import plan

        u = self.usability
        if not self.sections.run("Time on task", plan.missing(u, ["task", "time_s"], "usability")):
            return
        times = uxcx.task_time(u, by=self.by_task, **self.options)
        self.results["time_by_task"] = times
        show(plots.table(times))
        plots.dot_whisker(
            times,
            y="task",
            hue=self.design,
            log=True,
            labels=self.labels,
            xlabel="geometric mean time, successful attempts (seconds, log scale)",
            title="Time on task",
        )
        flagged = u[uxcx.long_times(u)]
        print(f"{len(flagged)} attempt(s) flagged as unusually long; they stay in every result.")

    def counts(self) -> None:
        """Errors, abandonment and clicks by design, and how many attempts were abandoned."""
        import uxcx
        from uxcx.report import findings, plots

        u, design = self.usability, self.design
        measures = (("errors", uxcx.task_errors), ("abandoned", uxcx.abandonment), ("clicks", uxcx.clicks))
        counts = [measure(u, by=design, **self.options) for column, measure in measures if _has(u, column)]
        if self.sections.run(
            "Errors, abandonment and clicks",
            "" if counts else "the usability source has no errors, abandoned or clicks values",
        ):
            show(plots.table(pd.concat(counts, ignore_index=True)))
        if _has(u, "abandoned"):
            self.notes += findings.share_findings(
                uxcx.abandonment(u, by=design, **self.options), what="Attempts abandoned", by=design
            )

    def sus(self) -> None:
        """SUS with its t interval, grades and percentile rank (by design), and straight-lining."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        q, by = self.questionnaire, self.sus_by
        if not self.sections.run("SUS", plan.missing(q, SUS_ITEMS, "questionnaire or survey")):
            return
        sus = uxcx.sus(q, by=by, norms=["sauro-lewis", "bangor"], **self.options)
        self.results["sus"] = sus
        self.notes += findings.sus_findings(sus, by=by)
        show(plots.table(sus))
        plots.sus_bands(
            q.assign(sus=uxcx.sus_score(q)),
            by=by,
            labels=self.labels,
            title="SUS" + (f" by {by}" if by else ""),
        )
        print(
            f"{uxcx.straight_lining(q).sum()} respondent(s) gave the same answer to all ten SUS items "
            "(contradicting the alternating wording); they are kept and flagged in the ledger."
        )

    def sus_benchmark(self) -> None:
        """The mean SUS against the study's target (else 68) by a one-sample t test, and the median."""
        import uxcx
        from uxcx.report import plots
        from uxcx.report.findings_benchmark import benchmark_findings
        from uxcx.study import plan, targets

        q, by, s = self.questionnaire, self.sus_by, self.study
        if not self.sections.run(
            "SUS against the benchmark", plan.missing(q, SUS_ITEMS, "questionnaire or survey")
        ):
            return
        sus_test = uxcx.mean_benchmark(
            q,
            score="sus",
            benchmark=s.config.measures.target("sus"),
            by=by,
            alternative=self.alternative,
            **self.options,
        )
        median = uxcx.median_score(q, score="sus", by=by, **self.options)
        self.results.update(sus_benchmark=sus_test, sus_median=median)
        self.notes += benchmark_findings(
            sus_test,
            what="mean SUS",
            by=by,
            alpha=self.settings.alpha,
            benchmark_name=targets.target_name(s, "sus"),
        )
        show(plots.table(pd.concat([sus_test, median], ignore_index=True)))

    def short_scales(self) -> None:
        """SEQ after each task (against its benchmark) and UMUX-Lite, where the study has them."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        u, q, design, by = self.usability, self.questionnaire, self.design, self.sus_by
        short = []
        if _has(u, "seq"):
            seq = uxcx.seq(u, by=design, benchmark=self.study.config.measures.target("seq"), **self.options)
            short.append(seq)
            self.notes += findings.mean_findings(
                seq, what="Ease after each task (SEQ)", scale="1-7", by=design
            )
        if q is not None and set(plan.UMUX_ITEMS) <= set(q.columns):
            umux = uxcx.umux_lite(q, by=by, **self.options)
            self.results.update(umux_lite=umux)
            short.append(umux)
            self.notes += findings.mean_findings(
                umux, what="UMUX-Lite (SUS-comparable, 0-100)", scale="0-100", by=by
            )
        if self.sections.run(
            "SEQ and UMUX-Lite", "" if short else "the study has neither SEQ ratings nor UMUX-Lite items"
        ):
            show(plots.table(pd.concat(short, ignore_index=True)))

    def compare_designs(self) -> None:
        """Each task between designs: completion (N-1 test), time (Welch on logs) and SEQ."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        u, design, alpha = self.usability, self.design, self.settings.alpha
        if not self.sections.run("Comparing the designs", plan.design_comparison_missing(u, design)):
            return
        compared = u[u["task"].isin(plan.crossed_tasks(u, design))]
        compare = dict(
            by=design, task="task", reference=self.reference, p_adjust=self.settings.p_adjust, **self.options
        )
        completion_diff = uxcx.compare_completion(compared, partial=self.settings.partial_success, **compare)
        tables = [completion_diff.assign(metric="completion")]
        self.results["completion_difference"] = completion_diff
        self.notes += findings.completion_findings(self.task_rates(), completion_diff, by=design, alpha=alpha)
        if _has(u, "time_s"):
            time_ratio = uxcx.compare_times(compared, **compare)
            tables.append(time_ratio.assign(metric="time"))
            self.results["time_ratio"] = time_ratio
            self.notes += findings.time_findings(time_ratio, alpha=alpha)
        if _has(u, "seq"):
            tables.append(uxcx.compare_ratings(compared, score="seq", **compare).assign(metric="SEQ"))
        show(plots.table(pd.concat(tables, ignore_index=True)))

    def single_metric(self) -> None:
        """The Single Usability Metric per task (and design), with seeded bootstrap intervals."""
        import uxcx
        from uxcx.report import findings, plots
        from uxcx.study import plan

        u = self.usability
        if not self.sections.run(
            "Single Usability Metric", plan.missing(u, ["task", "success", "time_s"], "usability")
        ):
            return
        given = lambda column: column if _has(u, column) else None  # noqa: E731 - a component or none
        usability_metric = uxcx.sum_score(
            u,
            by=[*self.by_task[1:], "task"],
            errors=given("errors"),
            satisfaction=given("seq"),
            partial=self.settings.partial_success,
            seed=self.settings.seed,
            **self.options,
        )
        self.results["sum"] = usability_metric
        self.notes += findings.sum_findings(usability_metric, by=self.design)
        show(plots.table(usability_metric))
