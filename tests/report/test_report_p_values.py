"""Every table of the sample report follows the kit's p-value convention (issue 13, item 7).

Each downloaded table with a ``p_value`` column has ``log10_p_value`` right after it; no
p-value (or adjusted p-value) is exactly 0, however strong the effect (the sample's
survey correlations reach log10 p below -300); and where p is representable its log10
is the log10 of p. The sample's strongest correlations underflow, so the branch where
``p_value`` holds the smallest positive double is exercised too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _tables(out):
    for file in sorted(out.glob("*.csv")):
        frame = pd.read_csv(file)
        if "p_value" in frame.columns:
            yield file.name, frame


def test_every_p_value_column_has_its_log10_beside_it_and_is_never_zero(sample_report):
    tables = dict(_tables(sample_report.out))
    assert len(tables) >= 10  # completion, times, SUS, NPS, correlations, models, Cox, log-rank, ...
    underflowed = 0
    for name, frame in tables.items():
        columns = list(frame.columns)
        assert "log10_p_value" in columns, f"{name} has p_value but no log10_p_value"
        assert columns.index("log10_p_value") == columns.index("p_value") + 1, name
        p = pd.to_numeric(frame["p_value"], errors="coerce").to_numpy(dtype=float)
        log10 = pd.to_numeric(frame["log10_p_value"], errors="coerce").to_numpy(dtype=float)
        tested = ~np.isnan(p)
        assert (p[tested] > 0).all(), f"{name}: a p-value of exactly 0"
        assert (p[tested] <= 1).all(), name
        assert not np.isnan(log10[tested]).any(), f"{name}: a p-value without its log10"
        plain = tested & (p > 1e-300)
        np.testing.assert_allclose(log10[plain], np.log10(p[plain]), rtol=1e-6, atol=1e-9, err_msg=name)
        underflowed += int((tested & (log10 < -300)).sum())
        if "p_adjusted" in frame.columns:
            adjusted = pd.to_numeric(frame["p_adjusted"], errors="coerce").to_numpy(dtype=float)
            assert (adjusted[~np.isnan(adjusted)] > 0).all(), f"{name}: an adjusted p of exactly 0"
    assert underflowed >= 1  # the survey's UX-CX correlations lie below the double range
