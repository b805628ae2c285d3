"""Event logs to per-person UX measures, inside an embedded engine (DuckDB) or Spark.

One module per idea: :mod:`~uxcx.io.events.sources` (which files, partition checks),
:mod:`~uxcx.io.events.engines` (the engine interface and DuckDB; one SQL text),
:mod:`~uxcx.io.events.spark_engine` (the same on Spark),
:mod:`~uxcx.io.events.clean` (the view ``clean_events`` and the ledger's counts),
:mod:`~uxcx.io.events.tasks` (the task rules as SQL), :mod:`~uxcx.io.events.task_frames`
(running them; attempts and people as frames) and
:mod:`~uxcx.io.events.run` (:func:`measure_events`, the one entry point).
"""

from uxcx.io.events.engines import Engine, open_engine
from uxcx.io.events.run import EventMeasures, measure_events
from uxcx.io.events.sources import EventSource, event_source

__all__ = ["measure_events", "EventMeasures", "open_engine", "Engine", "event_source", "EventSource"]
