"""Notebook 03, From UX to CX: one method per section, each run only when the study feeds it.

The UX measures, CX outcomes, index items, drivers and mediation path come from the
study (:mod:`uxcx.study.plan`) unless the notebook's parameters name them. Which model
of each kind is fitted is decided from the data: the logistic model of being a promoter
when the survey has NPS answers, the ordinal model of the first rated CX outcome with
three to seven levels (CSAT first when the study has it).
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.page import Page, show

__all__ = ["UxToCx"]


class UxToCx(Page):
    """The analyses of notebook 03 on one study (see the notebook's parameters)."""

    def __init__(
        self,
        study,
        out_dir: str = "",
        *,
        ux=(),
        cx=(),
        drivers=(),
        driver_outcome: str = "",
        mediation_path=(),
        n_boot: int = 2000,
    ):
        import uxcx
        from uxcx import link
        from uxcx.study import plan

        super().__init__(study, out_dir, name="03_ux_to_cx")
        s = self.study
        self.boot = dict(n_boot=n_boot, seed=self.settings.seed, **self.options)
        survey = s.frames.get("survey")
        self.survey = survey
        respondents = (
            link.respondent_measures(survey) if survey is not None and len(survey) else pd.DataFrame()
        )
        index_items = plan.index_items(s, respondents, "ux_index")
        if len(index_items) >= 2:
            respondents["ux_index"] = uxcx.scale_index(respondents, items=index_items, standardize=True)
        self.respondents = respondents
        self.ux = list(ux) or plan.ux_measures(s, respondents)
        self.cx = [c for c in (list(cx) or plan.cx_outcomes(s, respondents)) if c not in self.ux]
        self.labels = plan.labels(s, respondents.columns)
        self.drivers_given = (driver_outcome, list(drivers)) if drivers and driver_outcome else None
        self.mediation_given = tuple(mediation_path) if mediation_path else None
        self.people = None

    def describe(self) -> str:
        """One line: how many respondents, and which UX measures and CX outcomes are related."""
        return (
            f"{len(self.respondents):,} survey respondents; UX measures: {', '.join(self.ux) or 'none'}; "
            f"CX outcomes: {', '.join(self.cx) or 'none'}"
        )

    def joins(self) -> None:
        """Usability-test participants joined to their survey answers through the customer key."""
        from uxcx import link
        from uxcx.report import plots
        from uxcx.study import plan

        s, u = self.study, link.usability_source(self.study)  # the test, else the event log's tasks
        if not self.sections.run(
            "Joining the usability test to the survey",
            plan.missing(u, ["participant", "customer"], "usability")
            or plan.missing(self.survey, ["customer"], "survey"),
        ):
            return
        people = link.participant_measures(
            u, s.frames.get("questionnaire"), partial_success=self.settings.partial_success
        )
        self.people = link.join_measures(
            people,
            link.per_key(self.respondents, on="customer"),
            on="customer",
            names=("participants", "survey"),
            ledger=s.ledger,
        )
        self.results["joins"] = s.ledger.link_table(joins=True)
        show(plots.table(self.results["joins"]))

    def together(self) -> None:
        """How every UX measure moves with every CX outcome, and the strongest pair drawn."""
        import uxcx
        from uxcx.report import findings_link as words
        from uxcx.report import plots, plots_link

        ux, cx, labels = self.ux, self.cx, self.labels
        if not self.sections.run(
            "How UX and CX move together",
            ""
            if ux and cx
            else "the survey has no "
            + ("UX measure" if not ux else "CX outcome")
            + " with three or more answers",
        ):
            return
        pairs = uxcx.correlate(
            self.respondents,
            x=ux,
            y=cx,
            p_adjust=self.settings.p_adjust,
            seed=self.settings.seed,
            **self.options,
        )
        self.results["correlations"] = pairs
        self.notes += words.correlation_findings(pairs, labels=labels, alpha=self.settings.alpha)
        plots_link.correlation_heatmap(pairs, labels=labels)
        show(plots.table(pairs))
        top = pairs.loc[pairs["estimate"].abs().idxmax()]
        plots_link.scatter_fit(
            self.respondents,
            x=top["x"],
            y=top["y"],
            xlabel=labels.get(top["x"], top["x"]),
            ylabel=labels.get(top["y"], top["y"]),
            title="The strongest UX–CX pair",
        )

    def usability_test(self) -> None:
        """The measured behaviour of test participants against their own CX answers (Spearman)."""
        import uxcx
        from uxcx.report import findings_link as words
        from uxcx.report import plots_link
        from uxcx.study import plan

        people = self.people
        behaviour = plan.tested_ux_measures(people)
        outcomes = [
            c for c in self.cx if people is not None and c in people and people[c].notna().sum() >= 10
        ]
        answered = people.dropna(subset=[*behaviour, *outcomes]) if people is not None else pd.DataFrame()
        if not self.sections.run(
            "Usability-test measures against CX",
            ""
            if behaviour and outcomes and len(answered) >= 10
            else "fewer than 10 test participants have both usability measures and survey answers",
        ):
            return
        tested = uxcx.correlate(
            answered,
            x=behaviour,
            y=outcomes,
            method="spearman",
            p_adjust=self.settings.p_adjust,
            seed=self.settings.seed,
            **self.options,
        )
        self.results["correlations_usability_test"] = tested
        self.notes += [
            f"In the usability test ({len(answered)} participants with survey answers): " + sentence
            for sentence in words.correlation_findings(
                tested, labels=self.labels, alpha=self.settings.alpha, limit=2
            )
        ]
        plots_link.correlation_heatmap(
            tested, labels=self.labels, title="Usability-test measures against CX (Spearman)"
        )

    def by_level(self) -> None:
        """The first two CX outcomes compared across low, middle and high UX (test chosen from the data)."""
        import uxcx
        from uxcx import link
        from uxcx.report import findings_link as words
        from uxcx.report import plots

        ux, cx, labels, respondents = self.ux, self.cx, self.labels, self.respondents
        level_by = "reported_success" if "reported_success" in ux else (ux[0] if ux else None)
        if not self.sections.run(
            "CX by UX level", "" if level_by and cx else "the survey lacks a UX measure or a CX outcome"
        ):
            return
        respondents["UX level"] = link.ux_levels(respondents[level_by])
        by_outcome = {
            outcome: uxcx.compare_by_level(
                respondents, outcome=outcome, level="UX level", alpha=self.settings.alpha, **self.options
            )
            for outcome in cx[:2]
        }
        by_level = pd.concat([r.assign(outcome=o) for o, r in by_outcome.items()], ignore_index=True)
        self.results["cx_by_ux_level"] = by_level
        for outcome, result in by_outcome.items():
            self.notes += words.level_findings(
                result,
                outcome=labels.get(outcome, outcome),
                level="UX level",
                what=f"{labels.get(outcome, outcome)} by {labels.get(level_by, level_by)}",
                digits=1,
            )
        show(plots.table(by_level))

    def models(self) -> None:
        """OLS of the first CX outcome, logit of being a promoter, an ordinal model, and VIFs."""
        import uxcx
        from uxcx.report import plots

        respondents, cx, labels = self.respondents, self.cx, self.labels
        predictors = [c for c in self.ux if respondents[c].nunique() > 2][:4]
        complete = len(respondents.dropna(subset=[*predictors, *cx[:1]])) if cx else 0
        if not self.sections.run(
            "Models",
            ""
            if predictors and complete >= 10 * max(len(predictors), 1)
            else "the survey has too few complete answers (10 per predictor) or no continuous UX measure",
        ):
            return
        ols = uxcx.tidy(uxcx.regress(respondents, outcome=cx[0], predictors=predictors, kind="ols"))
        models = [ols.assign(model=f"OLS: {cx[0]}")]
        self.results["ols"] = ols
        self.notes += uxcx.effect_sentences(
            ols, outcome_label=labels.get(cx[0], cx[0]).lower(), labels=labels
        )
        if "promoter" in respondents and respondents["promoter"].nunique() == 2:  # derived from NPS answers
            promoter = uxcx.tidy(
                uxcx.regress(respondents, outcome="promoter", predictors=predictors, kind="logit")
            )
            models.append(promoter.assign(model="logit: promoter"))
            self.results["logit_promoter"] = promoter
            self.notes += uxcx.effect_sentences(promoter, outcome_label="being a promoter", labels=labels)
        ordinal = self._ordinal_outcome(predictors)
        if ordinal:
            fit = uxcx.tidy(uxcx.regress(respondents, outcome=ordinal, predictors=predictors, kind="ordinal"))
            models.append(fit.assign(model=f"ordinal: {labels.get(ordinal, ordinal)}"))
            self.results[f"ordinal_{ordinal}"] = fit
        show(plots.table(pd.concat(models, ignore_index=True)))
        if len(predictors) >= 2:
            show(plots.table(uxcx.vif(respondents, predictors=predictors)))

    def _ordinal_outcome(self, predictors) -> str | None:
        """The CX rating for the ordinal model: CSAT when present, else the first with 3 to 7 levels."""
        candidates = ["csat", *self.cx] if "csat" in self.respondents else list(self.cx)
        for name in candidates:
            values = self.respondents[name] if name in self.respondents else None
            if name not in predictors and values is not None and 2 < values.nunique() <= 7:
                return name
        return None

    def key_drivers(self) -> None:
        """Shapley value regression of the outcome on its driver candidates, and the quadrant chart."""
        import uxcx
        from uxcx.report import findings_link as words
        from uxcx.report import plots, plots_link
        from uxcx.study import plan

        spec = self.drivers_given or plan.drivers(self.study, self.respondents)
        if not self.sections.run(
            "Key drivers",
            ""
            if spec
            else "the survey has fewer than two usable driver "
            "candidates (10 answers each) or no outcome for them (measures.drivers)",
        ):
            return
        outcome, drivers = spec
        labels = self.labels
        importance = uxcx.key_drivers(self.respondents, outcome=outcome, drivers=drivers, **self.boot)
        self.results["key_drivers"] = importance
        self.notes += words.driver_findings(importance, outcome=labels.get(outcome, outcome), labels=labels)
        shown = importance[importance["driver"] != "(model)"].sort_values("estimate", ascending=False)
        plots.dot_whisker(
            shown.assign(driver=shown["driver"].map(lambda d: labels.get(d, d))),
            y="driver",
            reference=0,
            percent=True,
            xlabel=f"variance of {labels.get(outcome, outcome)} explained (R²)",
            title="Key drivers (Shapley value regression)",
        )
        show(plots.table(importance))
        quadrants = uxcx.driver_quadrants(
            importance, self.respondents, ranges=plan.ranges(self.study, drivers)
        )
        self.results["quadrants"] = quadrants
        plots_link.driver_quadrant(quadrants, labels=labels)

    def mediation(self) -> None:
        """Whether a UX measure works on the outcome through a mediator (Hayes model 4, BCa intervals)."""
        import uxcx
        from uxcx.report import findings_link as words
        from uxcx.report import plots, plots_link
        from uxcx.study import plan

        path = self.mediation_given or plan.mediation_path(self.study, self.respondents)
        if not self.sections.run(
            "Mediation",
            ""
            if path
            else "the study names no mediation path "
            "(measures.mediation) and the survey has no UX measure, CSAT and a later "
            "outcome to form one",
        ):
            return
        x, m, y = path
        names = {k: self.labels.get(v, v) for k, v in (("x", x), ("m", m), ("y", y))}
        paths = uxcx.mediation(self.respondents, x=x, m=m, y=y, **self.boot)
        self.results["mediation"] = paths
        self.notes += words.mediation_findings(paths, **names)
        plots_link.mediation_diagram(paths, **names)
        show(plots.table(paths))

    def sample_sizes(self):
        """Respondents needed next time: to detect correlations of .1-.3, and an NPS change."""
        import uxcx
        from uxcx.report import findings_link as words
        from uxcx.report import plots

        alpha = self.settings.alpha
        plan_r = uxcx.sample_size_correlation([0.1, 0.2, 0.3], alpha=alpha)
        self.results["sample_size_correlation"] = plan_r
        plan_nps = None
        if "nps_group" in self.respondents:
            share = self.respondents["nps_group"].value_counts(normalize=True)
            promoters, detractors = share.get("promoter", 0), share.get("detractor", 0)
            plan_nps = uxcx.sample_size_nps(
                (promoters, min(promoters + 0.10, 1)), (detractors, max(detractors - 0.05, 0)), alpha=alpha
            )
            self.results["sample_size_nps"] = plan_nps
        self.notes += words.power_findings(plan_r, plan_nps)
        return plots.table(pd.concat([plan_r, plan_nps], ignore_index=True))
