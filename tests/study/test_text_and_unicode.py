"""Text that looks missing and text that differs invisibly (issue 15).

"NA" (North America) and "None" stay text in text roles and are missing in numeric ones; ids,
headers and labels are compared in NFC without invisible characters.
"""

import unicodedata

import pandas as pd
import pytest

from uxcx import load_study
from uxcx.errors import StudyError
from uxcx.io.tables import read_table
from uxcx.io.unicode_text import visible, visible_series
from uxcx.study.coerce import coerce
from uxcx.study.reading_options import Reading
from uxcx.study.schema import role

# --- text that looks missing -------------------------------------------------------------


@pytest.mark.parametrize("trailing", ["", ","], ids=["pyarrow reader", "C reader"])
def test_the_csv_reader_keeps_markers_in_text_columns_only(tmp_path, trailing):
    # a delimiter ending every line sends the file to pandas' C engine: the same answer
    lines = ["id,region,plan,nps", "1,NA,None,9", "2,EU,Basic,NA", "3,,None,null", "4,NA,Basic,7"]
    (tmp_path / "s.csv").write_text("\n".join(line + trailing for line in lines) + "\n")
    frame = read_table(tmp_path / "s.csv").frame
    assert frame["region"].tolist()[:2] == ["NA", "EU"] and pd.isna(frame["region"][2])
    assert frame["plan"].tolist() == ["None", "Basic", "None", "Basic"]
    assert frame["nps"].isna().tolist() == [False, True, True, False]


def test_a_column_of_markers_only_is_text_not_empty(tmp_path):
    (tmp_path / "s.csv").write_text("id,region\n1,NA\n2,NA\n")
    assert read_table(tmp_path / "s.csv").frame["region"].tolist() == ["NA", "NA"]


def test_keys_and_categories_keep_their_text_numbers_dates_and_yes_no_do_not():
    text = pd.Series(["NA", "None", "null", "N/A"], dtype=object)
    assert coerce(text, role("customer")).values.tolist() == ["NA", "None", "null", "N/A"]
    assert coerce(text, role("region")).values.tolist() == ["NA", "None", "null", "N/A"]
    for name in ("nps", "start", "success", "time_s", "revenue"):
        got = coerce(text, role(name))
        assert got.values.isna().all() and not got.bad.any(), name


def test_the_study_declares_missing_texts_for_a_column():
    got = coerce(pd.Series(["NA", "Unknown", " unknown ", "EU"], dtype=object), role("region"),
                 reading=Reading(missing=("unknown",)))
    assert got.values.isna().tolist() == [False, True, True, False]
    assert got.repairs["texts listed under missing: read as missing"].sum() == 2
    coded = coerce(pd.Series([9, 99, 7]), role("nps"), reading=Reading(missing=("99",)))
    assert coded.values.isna().tolist() == [False, True, False] and not coded.bad.any()


def test_missing_codes_written_as_numbers_in_the_study_file(make_study):
    study = load_study(make_study({"s.csv": "respondent,nps\nR1,9\nR2,99\n"},
                                  {"survey": {"path": "s.csv", "missing": {"nps": [99]}}}))
    assert study["survey"]["nps"].isna().tolist() == [False, True]
    assert study.ledger.sources["survey"].reasons == {}  # not an out-of-range drop


def test_markers_in_a_labelled_column_are_missing_answers_not_unknown_labels(make_study):
    study = load_study(make_study(
        {"s.csv": "respondent,csat\nR1,Satisfied\nR2,NULL\nR3,None\nR4,#N/A\n"},
        {"survey": {"path": "s.csv", "labels": {"csat": "satisfaction"}}}))
    assert study["survey"]["csat"].tolist()[0] == 4 and study["survey"]["csat"][1:].isna().all()


def test_a_region_called_na_reaches_the_loaded_frame(make_study):
    study = load_study(make_study(
        {"s.csv": "respondent,region,nps\nR1,NA,9\nR2,EU,8\nR3,NA,7\n"},
        {"survey": {"path": "s.csv", "columns": {"respondent": "respondent", "region": "region",
                                                 "nps": "nps"}}}))
    assert study["survey"]["region"].value_counts().to_dict() == {"NA": 2, "EU": 1}


# --- Unicode -----------------------------------------------------------------------------

ZW, BOM, SHY, NB = "\u200b", "\ufeff", "\u00ad", "\u00a0"


@pytest.mark.parametrize("dirty", [f"P0{ZW}1", f"{BOM}P01", f"P{SHY}01", "P01\u200d", "\u200eP01"])
def test_invisible_characters_leave_ids(dirty):
    got = coerce(pd.Series([dirty, "P02"], dtype=object), role("participant"))
    assert got.values.tolist() == ["P01", "P02"]
    assert got.repairs["invisible characters removed or Unicode normalised (NFC)"].tolist() == [True, False]


def test_nfd_and_nfc_are_one_text():
    nfd = unicodedata.normalize("NFD", "Réservation")
    assert nfd != "Réservation" and visible(nfd) == "Réservation"
    got = coerce(pd.Series([nfd, "Réservation"], dtype=object), role("task"))
    assert got.values.nunique() == 1


def test_visible_series_leaves_ascii_columns_untouched_and_missing_missing():
    out = visible_series(pd.Series(["a", None, f"b{NB}c"], dtype=object))
    assert out.tolist()[0] == "a" and pd.isna(out[1]) and out[2] == "b c"


def test_ids_differing_only_invisibly_link_across_sources(make_study):
    study = load_study(make_study(
        {"s.csv": f"respondent,customer,nps\nR1,C1{ZW},9\nR2,{BOM}C2,7\n",
         "c.csv": "customer,start\nC1,2024-01-01\nC2,2024-02-01\n"},
        {"survey": {"path": "s.csv"}, "customers": {"path": "c.csv"}},
        links=[["survey.customer", "customers.customer"]]))
    link = study.ledger.links[0]
    assert link.left_matched == link.left_keys == 2 and link.right_matched == 2


def test_labels_in_nfd_or_with_odd_spaces_match_their_map(make_study):
    nfd = unicodedata.normalize("NFD", "Très satisfait")
    study = load_study(make_study(
        {"s.csv": f"respondent,csat,sus_1\nR1,{nfd},Strongly{NB}agree\nR2,Satisfait,Agree\n"},
        {"survey": {"path": "s.csv", "labels": {"csat": {"Très satisfait": 5, "Satisfait": 4},
                                                "sus_1": "agreement"}}}))
    assert study["survey"]["csat"].tolist() == [5, 4]
    assert study["survey"]["sus_1"].tolist() == [5, 4]


@pytest.mark.parametrize("headers", [("NPS", "nps"), ("nps", f"nps{ZW}"), ("Région", unicodedata.normalize(
    "NFD", "Région"))])
def test_headers_that_collide_after_normalising_stop_naming_both(make_study, headers):
    a, b = headers
    columns = {"respondent": "respondent", a: "nps" if "nps" in a.lower() else "region"}
    with pytest.raises(StudyError) as err:
        load_study(make_study({"s.csv": f"respondent,{a},{b}\nR1,9,8\n"},
                              {"survey": {"path": "s.csv", "columns": columns}}))
    assert repr(a) in str(err.value) and repr(b) in str(err.value)
    assert "differ only in case, spaces or invisible characters" in str(err.value)


def test_a_header_with_an_invisible_character_still_matches_the_mapping(make_study):
    study = load_study(make_study({"s.csv": f"respondent,Likelihood{ZW} to recommend\nR1,9\n"},
                                  {"survey": {"path": "s.csv", "columns": {
                                      "respondent": "respondent", "Likelihood to recommend": "nps"}}}))
    assert study["survey"]["nps"].tolist() == [9]
