"""How a dropped row's value may be shown outside the kit: as written, or masked by its shape.

A value that drops a row goes into ``ledger.json``, page 00 and the output of ``uxcx validate``,
so that the researcher can fix it. Most such values are answers that missed (an 11 on a 0-10
scale, "n/a", "Very likely" without a value map); some are whatever a respondent typed into
the box: a name, an IBAN, a card number. :func:`shown_values` keeps the first kind visible and
shows the second only by its shape and length ("text of 22 characters: letters, digits and
spaces"); the row number still finds it in the file. A study shows every value as written with
``privacy: {show_dropped_values: true}``; emails, phone numbers and IP addresses stay withheld
either way (:meth:`uxcx.study.ledger.SourceLedger.exported`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["shown_values", "plausible_answers", "value_shape", "ANSWER_WORDS"]

# Words of answer scales, missing-answer markers, number words, time units and months: a
# short value made of these words (and numbers) is an answer attempt, not personal data.
ANSWER_WORDS = frozenset("""
a about above agree agreed all almost always an and answer applicable approx approximately
around at average bad below best better big bit completely complete completed dont don't
definitely detractor difficult disagree disagreed dissatisfied dk do easy either excellent
extremely fail failed failure fair false fully gave give good great happy hard high highly
i idk incomplete know less likely little low maybe medium mid missing moderately more most
much n na nan neither neutral never no none nor not null nothing of often ok okay or other
out partial partially partly pass passed passive poor prefer probably promoter quite rarely
rather recommend refused same satisfied say skip skipped slightly so sometimes somewhat
strongly success succeeded super sure terrible the to too totally true unclear unhappy
unknown unlikely unsatisfied unsure up usually very well worse worst would wouldn't y yes
zero one two three four five six seven eight nine ten eleven twelve hundred half
star stars point points percent pct score rating times
total totals subtotal grand sum summary mean median overall count
ms s sec secs second seconds m min mins minute minutes h hr hrs hour hours d day days
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
august september october november december am pm t z th st nd rd
""".split())

_LONGEST = 40  # a plausible answer is at most this long
_DIGITS = 6  # ... and holds at most this many digits (a card number has 16, an IBAN 20 or so)
_SHARED = 3  # a value in this many dropped rows of one column is a missing label, not a person
_NUMBER = re.compile(r"[-+−]?[\d.,'\s\u00a0]{0,40}\d[\d.,'\s\u00a0]{0,40}%?")
_DATE_LIKE = re.compile(r"[\d\s./:\-T+Z]{1,40}")
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_EXCEL_ERROR = re.compile(r"#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|SPILL!|CALC!|FIELD!|"
                          r"BLOCKED!|CONNECT!|UNKNOWN!|BUSY!|GETTING_DATA)", re.IGNORECASE)


def plausible_answers(values: pd.Series, expected: pd.Series, columns: pd.Series) -> np.ndarray:
    """Which dropped values look like answers that missed, and may be shown as written.

    Parameters
    ----------
    values : pandas.Series
        The values as read from the file.
    expected : pandas.Series
        What each value's role expects (``Role.expected``: "a whole number from 0 to 10",
        "date", "a time > 0", ...), aligned with ``values``.
    columns : pandas.Series
        The column each value comes from, aligned with ``values``.

    Returns
    -------
    numpy.ndarray of bool

    Notes
    -----
    A value is a plausible answer when it is blank, or at most 40 characters long and one of:

    * at most three characters ("x", "?", "abc", "n/a"), or an Excel error ("#DIV/0!");
    * a number of at most six digits before its decimal point ("11", "-3", "4.5", "1,250.00");
    * made of answer words (scale labels, missing markers, number words, time units, months;
      :data:`ANSWER_WORDS`) and at most six digits ("Very likely", "10 - Extremely likely",
      "don't know", "2 min 30 s");
    * for a date or time role: digits and date separators with at most 14 digits
      ("2025-13-01", "31/02/2025 10:00");
    * shared by at least three dropped rows of its column, with at most six digits (a label the
      value map misses, such as "Sehr wahrscheinlich": shared by several people, it identifies
      none of them).

    Anything else (a name, an IBAN, a card or account number, a sentence) is no answer to the
    question and is shown by its shape only (:func:`value_shape`).

    Examples
    --------
    >>> values = pd.Series(["11", "Very likely", "Jane Smith", "DE89 3704 0044 0532 0130 00", None])
    >>> expected = pd.Series(["a whole number from 0 to 10"] * 5)
    >>> plausible_answers(values, expected, pd.Series(["nps"] * 5)).tolist()
    [True, True, False, False, True]
    """
    values = pd.Series(values, dtype=object).reset_index(drop=True)
    blank = values.isna().to_numpy(dtype=bool)
    text = values.where(~blank, "").astype(str).str.strip()
    short = (text.str.len() <= _LONGEST).to_numpy()
    text = text.where(short, "")  # every pattern below looks at short texts only
    digits = text.str.count(r"\d").to_numpy()
    whole = text.str.replace(r"[.,]\d+%?$", "", regex=True).str.count(r"\d").to_numpy()
    number = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool) & (whole <= _DIGITS)
    kind = pd.Series(expected, dtype=object).reset_index(drop=True).astype(str).str.lower()
    timely = kind.str.contains(r"date|time", regex=True).to_numpy()
    date_like = timely & text.str.fullmatch(_DATE_LIKE).to_numpy(dtype=bool) & (digits <= 14)
    tokens = text.str.lower().str.findall(_WORDS).explode()
    known = tokens.isna() | tokens.isin(ANSWER_WORDS)
    worded = known.groupby(level=0).all().reindex(text.index, fill_value=True).to_numpy()
    worded &= digits <= _DIGITS
    column = pd.Series(columns, dtype=object).reset_index(drop=True).astype(str)
    shared = text.groupby([column, text]).transform("size").to_numpy() >= _SHARED
    shared &= digits <= _DIGITS
    tiny = text.str.len().to_numpy() <= 3
    excel = text.str.fullmatch(_EXCEL_ERROR).to_numpy(dtype=bool)
    return blank | (short & (tiny | number | worded | date_like | shared | excel))


def value_shape(values: pd.Series) -> pd.Series:
    """Each value described by its shape and length, quoting none of it.

    Examples
    --------
    >>> value_shape(pd.Series(["Jane Smith", "4111111111111111", "DE89 3704"])).tolist()
    ['(withheld: text of 10 characters: letters and a space)', '(withheld: a number of 16 digits)', \
'(withheld: text of 9 characters: letters, digits and a space)']
    """
    text = pd.Series(values, dtype=object).astype(str).str.strip()
    length = text.str.len()
    head = text.str.slice(0, 10_000)  # the kinds of character, from the first 10,000
    digits = head.str.count(r"\d")
    number = head.str.fullmatch(_NUMBER) & (length <= 80)
    parts = pd.DataFrame({
        "letters": head.str.contains(r"[^\W\d_]", regex=True),
        "digits": head.str.contains(r"\d", regex=True),
        "spaces": head.str.contains(r"\s", regex=True),
        "other characters": head.str.contains(r"[^\w\s]|_", regex=True)})
    spaces = head.str.count(r"\s")
    names = _kinds(parts, spaces)
    words = np.where(number, "(withheld: a number of " + digits.astype(str) + " digits)",
                     "(withheld: text of " + length.map("{:,}".format) + " characters: "
                     + names + ")")
    return pd.Series(words, index=text.index, dtype=object)


def _kinds(parts: pd.DataFrame, spaces: pd.Series) -> pd.Series:
    """'letters, digits and spaces' for each row of the character-kind flags (a table lookup)."""
    code = parts.to_numpy(dtype=np.int64) @ np.array([1, 2, 4, 8]) + 16 * (spaces == 1).to_numpy()
    return pd.Series(_KIND_NAMES[code], index=parts.index, dtype=object)


def _kind_name(code: int) -> str:
    kinds = [k for bit, k in enumerate(("letters", "digits", "spaces", "other characters"))
             if code >> bit & 1]
    kinds = ["a space" if k == "spaces" and code & 16 else k for k in kinds]
    return _and(kinds) if kinds else "nothing visible"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_KIND_NAMES = np.array([_kind_name(code) for code in range(32)], dtype=object)


def shown_values(values: pd.Series, expected: pd.Series, columns: pd.Series) -> pd.Series:
    """The values as they may be shown: plausible answers as written, the rest by their shape.

    See :func:`plausible_answers` for the rule and :func:`value_shape` for the mask.

    Examples
    --------
    >>> shown_values(pd.Series(["11", "Jane Smith"]), pd.Series(["a whole number from 0 to 10"] * 2),
    ...              pd.Series(["nps", "nps"])).tolist()
    ['11', '(withheld: text of 10 characters: letters and a space)']
    """
    values = pd.Series(values, dtype=object)
    keep = plausible_answers(values, expected, columns)
    out = values.copy()
    if (~keep).any():
        out[~keep] = value_shape(values[~keep]).to_numpy()
    return out
