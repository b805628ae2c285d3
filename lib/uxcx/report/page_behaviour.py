"""Notebook 05, Behaviour: one method per section, each run only when the study feeds it.

The behaviour comes from the study's ``events:`` block: the loader measures every task of it
in an engine (:mod:`uxcx.io.events`) and gives two frames, ``behaviour`` (one row per person ×
task: ``success``, ``first_attempt_success``, ``time_s``, ``errors``, ``failed_attempts``,
``first_start``, the start event's properties) and ``attempts`` (one row per attempt with its
``outcome``). Segments are ``analysis.segments`` found on the customers joined through the id,
and the start event's properties (device, page, ...). The CX outcomes are the study's
(:func:`uxcx.study.plan.cx_outcomes`), joined by customer; retention is the customers source
as notebook 04 reads it. Each person's failed attempts at a task are cut into 0, 1 and 2+.
"""

from __future__ import annotations

import pandas as pd

from uxcx.report import behaviour_tables as bt
from uxcx.report.page import Page, show

__all__ = ["Behaviour"]

MIN_PEOPLE, MIN_LEVEL, MIN_CHURNED = 30, 5, 5
MAX_SEGMENT_LEVELS = 20  # a property with more values (a page URL) is no segment


class Behaviour(Page):
    """The analyses of notebook 05 on one study (see the notebook's parameters)."""

    def __init__(self, study, out_dir: str = "", *, task: str = "", segment: str = "", n_boot: int = 2000):
        from uxcx.errors import UxcxError

        super().__init__(study, out_dir, name="05_behaviour")
        s = self.study
        self.events = getattr(s.config, "events", None)
        self.role = self.events.id_role if self.events is not None else "customer"
        people, attempts = s.frames.get("behaviour"), s.frames.get("attempts")
        known = list(self.events.tasks) if self.events is not None else []
        if task and task not in known:
            raise UxcxError(f"task={task!r} is not a task of the study's events: block; its tasks are "
                            f"{known or 'none'} (leave task empty for each of them)")
        self.tasks = [task] if task else known
        self.people = _tasks(people, self.tasks)
        self.attempts = _tasks(attempts, self.tasks)
        self.segment, self.n_boot = segment, n_boot
        self.unit = self.settings.time_unit

    def finish(self):
        """Save the results and findings, the sentences on CX and churn by failed attempts first."""
        first = ("Customers whose ", "Retention curves by failed ")
        lead = [n for n in self.notes if n.startswith(first)]
        self.notes = lead + [n for n in self.notes if not n.startswith(first)]
        return super().finish()

    @property
    def no_events(self) -> str:
        if self.events is None:
            return "the study file has no events: block (a product event log and its tasks)"
        if not len(self.people):
            return "the event log gives no attempt at any task (no start event of a task occurs in it)"
        return ""

    def describe(self) -> str:
        if self.no_events:
            return f"No behaviour to report: {self.no_events}."
        who = self.people[bt.id_column(self.people, self.role)].nunique()
        return (f"{len(self.attempts):,} attempts by {who:,} {self.role}s at "
                f"{len(self.tasks)} task(s): {', '.join(self.tasks)}")

    def event_log(self) -> None:
        """The event log's account (read, kept, dropped by reason; the engine) and each task's attempts."""
        from uxcx.report import findings_behaviour as words
        from uxcx.report import plots, plots_behaviour

        if not self.sections.run("The event log", self.no_events):
            return
        account = self.study.ledger.sources.get("events")
        log = bt.log_account(account if account is not None else {}, engine=self.events.engine)
        table = bt.log_table(log)
        tasks = bt.task_table(self.attempts, self.role)
        self.results.update(event_log=table, engine=log["engine"], tasks=tasks)
        self.notes += words.log_findings(log)
        plots_behaviour.log_bars(table)
        show(plots.table(bt.shown_shares(table, ["share of read"]), note=" ".join(log["notes"])))
        show(plots.table(tasks))

    def funnel(self) -> None:
        """Per task: started, succeeded on the first attempt, succeeded at all; how attempts ended."""
        from uxcx.report import findings_behaviour as words
        from uxcx.report import plots, plots_behaviour

        if not self.sections.run("The funnel of each task", self.no_events):
            return
        funnel = bt.funnel_table(self.people, **self.options)
        outcomes = bt.outcome_table(self.attempts)
        self.results.update(funnel=funnel, attempt_outcomes=outcomes)
        self.notes += words.funnel_findings(funnel, who=f"{self.role}s")
        self.notes += words.outcome_findings(outcomes)
        plots_behaviour.funnel_bars(funnel)
        show(plots.table(funnel))
        plots_behaviour.outcome_bars(outcomes)
        show(plots.table(bt.shown_shares(outcomes, ["share of ended attempts"])))

    def segmented(self) -> pd.DataFrame:
        """The per-person frame with the customers' segments joined through the id (where they join)."""
        customers = self.study.frames.get("customers")
        people = self.people
        if self.role != "customer" or customers is None or "customer" not in customers:
            return people
        wanted = [c for c in self.settings.segments if c in customers and c not in people]
        extra = customers.drop_duplicates("customer").set_index("customer")[wanted]
        return people.join(extra, on=bt.id_column(people, "customer")) if wanted else people

    def segments(self, frame: pd.DataFrame) -> list[str]:
        """``segment`` when given; else analysis.segments on ``frame``, then the start event's properties."""
        from uxcx.study import plan

        if self.segment:
            return [self.segment]
        properties = [p for p in (self.events.properties if self.events is not None else [])
                      if p in frame and 2 <= frame[p].nunique() <= MAX_SEGMENT_LEVELS]
        return list(dict.fromkeys([*plan.segments(self.study, frame), *properties]))

    def completion(self) -> None:
        """Completion (adjusted Wald) and time to succeed (geometric mean) per task, then by segment."""
        import uxcx
        from uxcx.report import findings_behaviour as words
        from uxcx.report import plots
        from uxcx.study import plan

        if not self.sections.run("Completion and time on task", self.no_events):
            return
        frame, options = self.segmented(), self.options
        rates = uxcx.completion_rate(frame, by="task", **options)
        times = uxcx.task_time(frame, by="task", **options)
        self.results.update(completion=rates, time_on_task=times)
        self.notes += words.time_findings(times)
        show(plots.table(pd.concat([rates, times], ignore_index=True)))
        chosen = self.segments(frame)
        if not self.sections.run("Completion by segment", "" if chosen else
                                 "neither analysis.segments on the customers nor a property of the start "
                                 f"event has 2 to {MAX_SEGMENT_LEVELS} values"):
            return
        labels = plan.labels(self.study, chosen)
        by_rate, by_time = [], []
        for name in chosen[:3]:
            frame = frame.assign(**{name: _known(frame[name])})
            rate = uxcx.completion_rate(frame, by=["task", name], **options)
            time = uxcx.task_time(frame, by=["task", name], **options)
            self.notes += words.segment_findings(rate, segment=name, label=labels.get(name, name))
            plots.dot_whisker(rate, y=name, hue="task", percent=True, labels=labels,
                              xlabel="completion rate (adjusted-Wald interval)",
                              title=f"Completion by {labels.get(name, name)}")
            by_rate.append(_long(rate, name))
            by_time.append(_long(time, name))
        self.results.update(completion_by_segment=pd.concat(by_rate, ignore_index=True),
                            time_by_segment=pd.concat(by_time, ignore_index=True))
        show(plots.table(self.results["completion_by_segment"]))
        show(plots.table(self.results["time_by_segment"]))

    def over_time(self) -> None:
        """Completion per calendar month of each person's first attempt, a line with its interval band."""
        import uxcx
        from uxcx.report import findings_behaviour as words
        from uxcx.report import plots, plots_behaviour

        months = bt.month_of(self.people["first_start"]) if "first_start" in self.people else pd.Series()
        if not self.sections.run("Completion over time", self.no_events or (
                "" if months.nunique() >= 2 else "every first attempt falls in one calendar month")):
            return
        frame = self.people.assign(month=months)
        rates = uxcx.completion_rate(frame, by=["task", "month"], **self.options)
        self.results["completion_over_time"] = rates
        self.notes += words.trend_findings(rates)
        plots_behaviour.rate_over_time(rates, title="Completion by month of the first attempt")
        show(plots.table(rates, max_rows=40))

    def _levels(self, task: str) -> pd.DataFrame:
        """One row per person of ``task``: the id, the failed-attempt level and the behaviour measures."""
        rows = self.people[self.people["task"] == task]
        out = rows[[bt.id_column(rows, self.role), "failed_attempts", "success", "errors"]].copy()
        out[bt.LEVEL] = bt.failed_levels(out["failed_attempts"])
        return out.rename(columns={bt.id_column(rows, self.role): self.role})

    @property
    def no_customer_id(self) -> str:
        if self.no_events:
            return self.no_events
        return "" if self.role == "customer" else "the event log's people are participants, not customers"

    def with_cx(self) -> None:
        """CX outcomes by failed-attempt level (0, 1, 2+) per task: each level with its interval, a test."""
        import uxcx
        from uxcx import link
        from uxcx.report import findings_behaviour as words
        from uxcx.report import findings_link, plots
        from uxcx.study import plan

        survey = self.study.frames.get("survey")
        has_key = survey is not None and len(survey) and "customer" in survey
        answers = link.respondent_measures(survey) if has_key else pd.DataFrame()
        cx = plan.cx_outcomes(self.study, answers)[:2] if has_key else []
        if not self.sections.run("Behaviour and CX", self.no_customer_id or (
                "" if has_key else "there is no survey with a customer key to join the behaviour to") or (
                "" if cx else "the survey has no CX outcome (NPS, CSAT, CES, loyalty)")):
            return
        labels = plan.labels(self.study, cx)
        per_customer = link.per_key(answers[["customer", *cx]], on="customer")
        compared = []
        for task in self.tasks:
            joined = link.join_measures(self._levels(task), per_customer, on="customer",
                                        names=(f"{task} behaviour", "survey"), ledger=self.study.ledger)
            for outcome in cx:
                data = _enough_levels(joined.dropna(subset=[outcome, bt.LEVEL]))
                if len(data) < MIN_PEOPLE:
                    continue
                result = uxcx.compare_by_level(data, outcome=outcome, level=bt.LEVEL, reference="0",
                                               alpha=self.settings.alpha, seed=self.settings.seed,
                                               n_boot=self.n_boot, **self.options)
                name = labels.get(outcome, outcome)
                self.notes += words.failed_cx_findings(result, task=task, outcome=outcome, label=name,
                                                         level=bt.LEVEL)
                self.notes += findings_link.level_findings(result, outcome=name, level=bt.LEVEL, digits=1,
                                                           what=f"{name} by failed {task} attempts")
                compared.append(result.assign(task=task, outcome=outcome))
        self.results["joins"] = self.study.ledger.link_table(joins=True)
        show(plots.table(self.results["joins"]))
        if not self.sections.run("CX by failed attempts", "" if compared else
                                 f"no task has {MIN_PEOPLE} surveyed customers in two failed-attempt levels "
                                 f"of {MIN_LEVEL} or more"):
            return
        table = pd.concat(compared, ignore_index=True)
        self.results["cx_by_failed_attempts"] = table
        for outcome, rows in table[table["kind"] == "level"].groupby("outcome", sort=False):
            plots.dot_whisker(rows, y=bt.LEVEL, hue="task", xlabel=labels.get(outcome, outcome),
                              title=f"{labels.get(outcome, outcome)} by failed attempts at the task")
        show(plots.table(table, max_rows=40))

    def with_retention(self) -> None:
        """Churn by failed-attempt level per task: Kaplan-Meier curves, log-rank and a Cox model."""
        import uxcx
        from uxcx import link
        from uxcx.report import findings_behaviour as words
        from uxcx.report import findings_retention, plots, plots_survival
        from uxcx.study import plan

        if not self.sections.run("Behaviour and retention", self.no_customer_id or (
                plan.unmet(self.study, ["retention"]) or "")):
            return
        raw = self.study["customers"]
        by_tenure = "tenure" in raw and "start" not in raw
        customers = uxcx.survival_data(raw, observed_until=self.settings.observed_until, time_unit=self.unit,
                                       **(dict(tenure="tenure", churned="churned") if by_tenure else {}))
        curves, tests, hazards = [], [], []
        for task in self.tasks:
            joined = link.join_measures(customers, self._levels(task)[["customer", bt.LEVEL]], on="customer",
                                        names=("customers", f"{task} behaviour"), ledger=self.study.ledger)
            data = _enough_levels(joined.dropna(subset=[bt.LEVEL]))
            if len(data) < MIN_PEOPLE or data["event"].sum() < MIN_CHURNED:
                continue
            km = uxcx.kaplan_meier(data, by=bt.LEVEL, horizons=self.settings.horizons, **self.options)
            test = uxcx.logrank(data, by=bt.LEVEL)
            cox = uxcx.cox(data, covariates=[bt.LEVEL], reference={bt.LEVEL: "0"}, alpha=self.settings.alpha,
                           **self.options)
            plots_survival.km_plot(km.curve, title=f"Customers still with us, by failed {task} attempts",
                                   xlabel=f"{self.unit} as a customer")
            self.notes += uxcx.hazard_sentences(cox, labels=words.hazard_labels(task, bt.LEVEL))
            self.notes += findings_retention.logrank_findings(test, what=f"failed {task} attempts",
                                                              alpha=self.settings.alpha)
            curves.append(km.summary.assign(task=task))
            tests.append(test.assign(task=task))
            hazards.append(cox.assign(task=task))
        self.results["joins"] = self.study.ledger.link_table(joins=True)
        if not self.sections.run("Retention by failed attempts", "" if hazards else
                                 f"no task has {MIN_PEOPLE} customers ({MIN_CHURNED} of whom left) in two "
                                 f"failed-attempt levels of {MIN_LEVEL} or more"):
            return
        self.results.update(retention_by_failed_attempts=pd.concat(curves, ignore_index=True),
                            logrank_failed_attempts=pd.concat(tests, ignore_index=True),
                            cox_failed_attempts=pd.concat(hazards, ignore_index=True))
        plots.dot_whisker(self.results["cox_failed_attempts"], y="term", hue="task", log=True, reference=1,
                          xlabel="hazard ratio against no failed attempt (log scale)", title="Hazard ratios")
        for key in ("retention_by_failed_attempts", "logrank_failed_attempts", "cox_failed_attempts"):
            show(plots.table(self.results[key], max_rows=40))


def _tasks(frame: pd.DataFrame | None, tasks: list[str]) -> pd.DataFrame:
    if frame is None or "task" not in frame:
        return pd.DataFrame(columns=["task"])
    return frame[frame["task"].isin(tasks)]


def _known(values: pd.Series) -> pd.Series:
    """A segment with its missing values named (a person the customers source does not hold)."""
    return values.astype(object).where(values.notna(), "(not known)")


def _enough_levels(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` without the failed-attempt levels of fewer than MIN_LEVEL people.

    Empty unless level 0 (the reference: no failed attempt) and another level remain.
    """
    sizes = data[bt.LEVEL].value_counts()
    kept = sizes[sizes >= MIN_LEVEL].index
    return data[data[bt.LEVEL].isin(kept)] if len(kept) >= 2 and "0" in kept else data.iloc[:0]


def _long(result: pd.DataFrame, name: str) -> pd.DataFrame:
    """A result by ``task`` and a segment, with the segment's name and level as two columns (to stack)."""
    out = result.rename(columns={name: "level"}).assign(segment=name)
    first = ["segment", "level", "task"]
    return out[first + [c for c in out.columns if c not in first]]
