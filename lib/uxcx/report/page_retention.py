"""Notebook 04, Retention: one method per section, each run only when the study feeds it.

Customers come from the study's ``customers`` source, as start and end dates or as a
tenure and a churned flag; segments from ``analysis.segments`` (or the notebook's
``segment``); the UX score joined to them from the survey or the usability test
(:func:`uxcx.link.customer_ux`). The lifetime comparison takes the best UX level as its
reference when there is a UX score, else the segment's first level.
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.page import Page, show

__all__ = ["Retention"]

MIN_UX_CUSTOMERS, MIN_UX_CHURNED = 30, 5


class Retention(Page):
    """The analyses of notebook 04 on one study (see the notebook's parameters)."""

    def __init__(self, study, out_dir: str = "", *, segment: str = "", horizon: float = 12, ux_items=()):
        import uxcx
        from uxcx.study import plan

        super().__init__(study, out_dir, name="04_retention")
        s = self.study
        self.unit = self.settings.time_unit
        self.horizon = horizon
        self.ux_items = list(ux_items) or None
        raw = s["customers"]
        by_tenure = "tenure" in raw and "start" not in raw
        self.customers = uxcx.survival_data(
            raw,
            observed_until=self.settings.observed_until,
            time_unit=self.unit,
            **(dict(tenure="tenure", churned="churned") if by_tenure else {}),
        )
        self.by_segment = [segment] if segment else plan.segments(s, self.customers)
        self.money = "revenue" in self.customers and self.customers["revenue"].notna().any()
        self.with_ux, self.enough_ux, self.tests = pd.DataFrame(), False, []

    def describe(self) -> str:
        c = self.customers
        return (
            f"{len(c):,} customers, {int(c['event'].sum()):,} of whom left; time in {self.unit}; "
            f"segments: {', '.join(self.by_segment) or 'none'}"
        )

    @property
    def no_ux(self) -> str:
        return (
            ""
            if self.enough_ux
            else (
                f"fewer than {MIN_UX_CUSTOMERS} customers with a UX score "
                f"(or fewer than {MIN_UX_CHURNED} of them left)"
            )
        )

    def ux_level(self) -> None:
        """Each customer's UX score (where one joins), standardised and cut into levels."""
        from uxcx import link
        from uxcx.report import plots

        scores, ux_what = link.customer_ux(self.study, items=self.ux_items)
        if self.sections.run(
            "UX level",
            ""
            if len(scores)
            else "no UX score can be joined to the customers "
            "(a survey or usability test with a customer key and UX items)",
        ):
            people = link.join_measures(
                self.customers,
                scores[["ux"]],
                on="customer",
                names=("customers", "UX scores"),
                ledger=self.study.ledger,
            )
            self.with_ux = people.dropna(subset=["ux"]).copy()
            self.results["joins"] = self.study.ledger.link_table(joins=True)
            print(
                f"UX score: {ux_what}; {len(self.with_ux):,} of {len(self.customers):,} customers have one."
            )
            show(plots.table(self.results["joins"]))
        w = self.with_ux
        self.enough_ux = (
            len(w) >= MIN_UX_CUSTOMERS and w["ux"].nunique() >= 3 and w["event"].sum() >= MIN_UX_CHURNED
        )
        if self.enough_ux:
            w["ux_sd"] = (w["ux"] - w["ux"].mean()) / w["ux"].std()
            w["UX level"] = link.ux_levels(w["ux"])

    def by_ux(self) -> None:
        """Kaplan-Meier curves by UX level, and the log-rank test between them."""
        import uxcx
        from uxcx.report import findings_retention as words
        from uxcx.report import plots, plots_survival

        if not self.sections.run("Retention by UX level", self.no_ux):
            return
        curves = uxcx.kaplan_meier(
            self.with_ux, by="UX level", horizons=self.settings.horizons, **self.options
        )
        self.results["retention_by_ux"] = curves.summary
        self.notes += words.retention_findings(curves, by="UX level", horizon=self.horizon, unit=self.unit)
        plots_survival.km_plot(
            curves.curve, title="Customers still with us, by UX level", xlabel=f"{self.unit} as a customer"
        )
        show(plots.table(curves.summary))
        test = uxcx.logrank(self.with_ux, by="UX level")
        self.tests.append(test)
        self.notes += words.logrank_findings(test, what="UX level", alpha=self.settings.alpha)

    def by_segments(self) -> None:
        """Retention overall, then by each of the first three segments with their log-rank tests."""
        import uxcx
        from uxcx.report import plots, plots_survival
        from uxcx.study import plan

        customers, horizons, xlabel = self.customers, self.settings.horizons, f"{self.unit} as a customer"
        if not self.by_segment:
            overall = uxcx.kaplan_meier(customers, horizons=horizons, **self.options)
            self.results["retention"] = overall.summary
            plots_survival.km_plot(overall.curve, title="Customers still with us", xlabel=xlabel)
            show(plots.table(overall.summary))
        if self.sections.run(
            "Retention by segment",
            ""
            if self.by_segment
            else "the customers source holds none of analysis.segments with two or more values",
        ):
            for name in self.by_segment[:3]:
                curves = uxcx.kaplan_meier(customers, by=name, horizons=horizons, **self.options)
                self.results.setdefault("retention_by_segment", curves.summary)
                shown = plan.labels(self.study, [name])
                plots_survival.km_plot(
                    curves.curve,
                    title=f"Customers still with us, by {shown[name]}",
                    xlabel=xlabel,
                    labels=shown,
                )
                show(plots.table(curves.summary))
                self.tests.append(uxcx.logrank(customers, by=name))
        if self.tests:
            self.results["logrank"] = pd.concat(self.tests, ignore_index=True)
            show(plots.table(self.results["logrank"]))

    @property
    def covariates(self) -> list[str]:
        return (["ux_sd"] if self.enough_ux else []) + self.by_segment

    @property
    def modelled(self) -> pd.DataFrame:
        return self.with_ux if self.enough_ux else self.customers

    def hazards(self) -> None:
        """The Cox model of churn on the UX score and the segments, and its proportional-hazards check."""
        import uxcx
        from uxcx.report import plots
        from uxcx.study import plan

        covariates = self.covariates
        if not self.sections.run(
            "Cox proportional hazards",
            "" if covariates else "there is neither a UX score nor a segment to model",
        ):
            return
        hazards = uxcx.cox(self.modelled, covariates=covariates, **self.options)
        self.results["cox"] = hazards
        labels = {**plan.labels(self.study, covariates), "ux_sd": "UX score (per SD)"}
        self.notes += uxcx.hazard_sentences(hazards, labels=labels)
        show(plots.table(hazards))
        plots.dot_whisker(
            hazards,
            y="term",
            log=True,
            reference=1,
            labels=labels,
            xlabel="hazard ratio: churn rate relative to the reference (log scale)",
            title="Hazard ratios",
        )
        show(plots.table(uxcx.ph_check(self.modelled, covariates=covariates)))

    def lifetime(self) -> None:
        """Mean lifetime to the horizon by UX level (or segment), with lifetime value and revenue at stake."""
        import uxcx
        from uxcx.report import findings_retention as words
        from uxcx.report import plots
        from uxcx.study import plan

        group = "UX level" if self.enough_ux else (self.by_segment[0] if self.by_segment else None)
        if not self.sections.run(
            "Lifetime and lifetime value",
            "" if group else "there is neither a UX level nor a segment to compare",
        ):
            return
        grouped, tau, options = self.modelled, self.horizon, self.options
        best = "High" if self.enough_ux else None  # the UX levels of link.ux_levels
        lifetime = uxcx.rmst_difference(grouped, by=group, tau=tau, reference=best, **options)
        self.results["lifetime"] = lifetime
        tables = [uxcx.rmst(grouped, by=group, tau=tau, **options), lifetime]
        currency = plan.currency(self.study)
        if self.money:
            value = uxcx.lifetime_value(grouped, by=group, tau=tau, **options)
            at_stake = uxcx.revenue_at_stake(grouped, by=group, tau=tau, reference=best, **options)
            self.results.update(lifetime_value=value, revenue_at_stake=at_stake)
            self.notes += words.value_findings(
                value, at_stake, by=group, tau=tau, unit=self.unit, currency=currency
            )
            tables += [value, at_stake]
        else:
            print("No revenue column: lifetime value and revenue at stake are left out.")
        amounts = f"Amounts in {currency}." if self.money and currency else ""
        show(plots.table(pd.concat(tables, ignore_index=True), note=amounts))

    def churn_by_horizon(self):
        """Who has left by the horizon, by the same covariates (logistic, censored customers excluded)."""
        import uxcx
        from uxcx.report import plots

        if not self.sections.run(
            "Churn by the horizon",
            "" if self.covariates else "there is neither a UX score nor a segment to model",
        ):
            return None
        by_horizon = uxcx.churn_by_horizon(
            self.modelled, horizon=self.horizon, predictors=self.covariates, **self.options
        )
        self.results["churn_by_horizon"] = by_horizon
        return plots.table(by_horizon)

    def projection(self) -> None:
        """The first cohort's retention projected to twice the horizon (shifted-beta-geometric)."""
        import uxcx
        from uxcx.report import findings_retention as words
        from uxcx.report import plots_survival

        customers = self.customers
        if not self.sections.run(
            "Retention projection",
            ""
            if "start" in customers
            else "customers have a tenure but no start dates, so no cohort can be formed",
        ):
            return
        first = customers[customers["start"] < customers["start"].min() + pd.Timedelta(days=91)]
        alive = [int((first["duration"] >= t).sum()) for t in range(0, int(self.horizon) + 1)]
        fit = uxcx.sbg_fit(alive, **self.options)
        projection = uxcx.sbg_project(fit, 2 * int(self.horizon))
        self.results["sbg"] = fit
        self.notes += words.projection_findings(fit, projection, unit=self.unit)
        plots_survival.projection_plot(
            projection, uxcx.kaplan_meier(first, **self.options).curve, xlabel=f"{self.unit} as a customer"
        )
