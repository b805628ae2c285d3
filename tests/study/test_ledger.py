"""The ledger's accounts: reasons add up, JSON shape, reconciliation guard."""

import pandas as pd
import pytest

from uxcx import UxcxError
from uxcx.study.ledger import REASONS, Ledger, LinkCoverage, SourceLedger


def account() -> SourceLedger:
    s = SourceLedger(source="survey", file="s.csv", read=10, kept=7)
    s.dropped = pd.DataFrame({
        "row": [3, 3, 5, 9], "column": ["NPS", "CSAT", "NPS", None],
        "value": [11, 0, "x", None],
        "reason": ["out of range", "out of range", "not a number", "blank row"],
        "expected": "", "hint": ""})
    s.repairs["Time: durations written as m:ss converted to seconds"] = 4
    s.repaired_rows = 4
    return s


def test_reasons_count_rows_once_and_add_up():
    s = account()
    assert s.n_dropped == 3
    assert s.reasons == {"out of range": 1, "not a number": 1, "blank row": 1}
    assert sum(s.reasons.values()) == s.n_dropped
    s.check()


def test_check_catches_an_account_that_does_not_reconcile():
    s = account()
    s.kept = 8
    with pytest.raises(UxcxError, match="does not reconcile"):
        s.check()


def test_json_shape():
    ledger = Ledger({"survey": account()}, [LinkCoverage("survey.customer", "customers.customer",
                                                         100, 96, 500, 96)])
    doc = ledger.as_dict()
    src = doc["sources"]["survey"]
    assert {k: src[k] for k in ("read", "kept", "repaired", "dropped")} == {
        "read": 10, "kept": 7, "repaired": 4, "dropped": 3}
    assert src["dropped_rows"][0] == {"row": 3, "column": "NPS", "value": 11, "reason": "out of range"}
    link = doc["links"]["survey.customer -> customers.customer"]
    assert link["left_unmatched"] == 4 and link["right_unmatched"] == 404


def test_tables_for_people():
    ledger = Ledger({"survey": account()})
    assert ledger.summary().to_dict("records") == [
        {"source": "survey", "file": "s.csv", "read": 10, "kept": 7, "repaired": 4, "dropped": 3}]
    reasons = ledger.reasons()
    assert reasons["meaning"].tolist() == [REASONS[r] for r in reasons["reason"]]
    assert len(ledger.dropped()) == 4 and ledger.repairs()["cells"].tolist() == [4]


def test_problems_name_file_row_column():
    problems = account().problems()
    assert str(problems[0]).startswith("s.csv, row 3, column 'NPS': out of range (value 11)")
