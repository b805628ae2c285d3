"""The study file's YAML read as a researcher means it (uxcx.study.study_yaml).

Every study file here is written as text, the way a researcher types it (yaml.safe_dump
would quote the traps away).
"""

from __future__ import annotations

import os
import time

import pytest
import yaml

import uxcx
from uxcx.errors import StudyError
from uxcx.study.study_file import read_study
from uxcx.study.study_yaml import MAX_STUDY_BYTES, StudyLoader

USABILITY = "participant,task,abandoned\nP1,T1,Yes\nP2,T1,No\nP3,T1,Yes\n"


def _study(tmp_path, text: str, files: dict | None = None, encoding="utf-8"):
    for name, content in (files or {}).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    path = tmp_path / "study.yml"
    path.write_bytes(text.encode(encoding))
    return path


def _load(text: str) -> dict:
    return yaml.load(text, Loader=StudyLoader)


# --- YAML 1.1 booleans, nulls and numbers in keys and values ------------------------

@pytest.mark.parametrize("yes, no", [("Yes", "No"), ("yes", "no"), ("Y", "N"), ("On", "Off"), ("ON", "OFF")])
def test_yes_no_keys_of_a_value_map_are_the_answers_written(tmp_path, yes, no):
    # abandoned is asked as "Did you finish?": Yes means not abandoned. YAML 1.1 made the
    # keys True/False, the map matched nothing and the default reading inverted every row.
    path = _study(tmp_path, f"""\
name: t
sources:
  usability:
    path: u.csv
    values:
      abandoned: {{{yes}: 0, {no}: 1}}
""", {"u.csv": USABILITY.replace("Yes", yes).replace("No", no)})
    study = uxcx.load_study(path)
    assert study["usability"]["abandoned"].tolist() == [0, 1, 0]


def test_yes_no_keys_of_an_own_label_map_are_the_labels_written(tmp_path):
    path = _study(tmp_path, """\
name: t
sources:
  survey:
    path: s.csv
    labels:
      loyalty_renew: {No: 1, Maybe: 3, Yes: 5}
""", {"s.csv": "respondent,loyalty_renew\nR1,Yes\nR2,No\nR3,Maybe\n"})
    study = uxcx.load_study(path)
    assert study["survey"]["loyalty_renew"].tolist() == [5, 1, 3]


def test_keys_are_text_everywhere_and_only_true_false_are_booleans():
    doc = _load("a: {Yes: 1, No: 0, on: 2, null: 3, ~: 4, 010: 5, 1:30: 6, 2024-01-31: 7}\n"
                "b: [yes, no, on, off, y, n, true, False, ~, null]\n"
                "c: 010\nd: 0o17\ne: 0x1f\nf: 1:30\ng: 1e3\nh: .5\ni: 2024-01-31\nj: 1_000\n")
    assert doc["a"] == {"Yes": 1, "No": 0, "on": 2, "null": 3, "~": 4, "010": 5, "1:30": 6,
                        "2024-01-31": 7}
    assert doc["b"] == ["yes", "no", "on", "off", "y", "n", True, False, None, None]
    # YAML 1.2 core: 010 is ten (not octal 8), 1:30 is text (not 90), 1e3 a number, no dates
    assert (doc["c"], doc["d"], doc["e"], doc["f"], doc["g"], doc["h"]) == (10, 15, 31, "1:30", 1000.0, 0.5)
    assert (doc["i"], doc["j"]) == ("2024-01-31", "1_000")


def test_yes_no_settings_still_read_as_yes_and_no(make_study, tmp_path):
    path = _study(tmp_path, """\
name: t
title: Yes
sources:
  questionnaire:
    path: q.csv
    sus_by_position: yes
measures:
  items:
    item_fast: {range: [1, 5], side: ux, higher_is_better: no}
""", {"q.csv": "participant," + ",".join(f"Q{i}" for i in range(1, 11)) + "\nP1" + ",3" * 10 + "\n"})
    config, _ = read_study(path)
    assert config.title == "Yes"  # text, as written (YAML 1.1 made it True, and a type error)
    assert config.sources["questionnaire"].sus_by_position is True
    assert config.measures.items["item_fast"].higher_is_better is False


def test_numbers_where_text_is_expected_are_the_text(tmp_path):
    path = _study(tmp_path, "name: 2024\ntitle: 1984\nsources:\n  survey:\n    path: s.csv\n"
                            "    columns: {2024: respondent}\n", {"s.csv": "2024,nps\nR1,9\n"})
    config, _ = read_study(path)
    assert (config.name, config.title) == ("2024", "1984")
    assert config.sources["survey"].columns == {"2024": "respondent"}


def test_numeric_keys_of_a_value_map_keep_working(tmp_path):
    # choice positions 1-11 mapped to NPS 0-10, and a key written 1.0 for the cell 1
    positions = ", ".join(f"{i}: {i - 1}" for i in range(1, 12))
    path = _study(tmp_path, f"""\
name: t
sources:
  survey:
    path: s.csv
    values:
      nps: {{{positions}}}
      csat: {{1.0: 1, 2.0: 2, +3: 3, 4: 4, 5: 5}}
""", {"s.csv": "respondent,nps,csat\nR1,11,1\nR2,1,3\nR3,6,2\n"})
    study = uxcx.load_study(path)
    assert study["survey"]["nps"].tolist() == [10, 0, 5]
    assert study["survey"]["csat"].tolist() == [1, 3, 2]


def test_answers_that_differ_only_by_case_must_agree(tmp_path):
    path = _study(tmp_path, "name: t\nsources:\n  usability:\n    path: u.csv\n"
                            "    values:\n      abandoned: {Yes: 1, 'yes ': 0}\n", {"u.csv": USABILITY})
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "sources.usability.values" in text and "'Yes' and 'yes '" in text and "keep one" in text


# --- repeated keys -----------------------------------------------------------------

def test_a_section_written_twice_is_refused_with_both_lines(tmp_path):
    path = _study(tmp_path, "name: t\nanalysis:\n  seed: 1\nsources:\n  survey: {path: s.csv}\n"
                            "analysis:\n  confidence_level: 0.9\n", {"s.csv": "respondent\nR1\n"})
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "line 6: the key 'analysis' is written a second time at the top level" in text
    assert "first on line 2" in text and "Merge the two" in text


def test_a_header_mapped_twice_is_refused(tmp_path):
    path = _study(tmp_path, "name: t\nsources:\n  survey:\n    path: s.csv\n    columns:\n"
                            "      Q1: nps\n      Q2: csat\n      Q1: ces\n", {"s.csv": "Q1,Q2\n1,2\n"})
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "line 8: the key 'Q1' is written a second time under sources > survey > columns" in text
    assert "first on line 6" in text and "a header maps to one role" in text


def test_a_repeated_answer_and_a_repeated_nested_key_are_each_reported(tmp_path):
    path = _study(tmp_path, "name: t\nsources:\n  usability:\n    path: u.csv\n    values:\n"
                            "      abandoned:\n        Yes: 0\n        Yes: 1\n    path: v.csv\n",
                  {"u.csv": USABILITY})
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert len(err.value.messages) == 2
    assert ("key 'Yes' is written a second time under sources > usability > values > abandoned"
            in str(err.value))
    assert "key 'path' is written a second time" in str(err.value)


def test_merge_keys_may_override_what_they_merge():
    doc = _load("base: &base {seed: 1, alpha: 0.05}\nanalysis:\n  <<: *base\n  seed: 2\n")
    assert doc["analysis"] == {"seed": 2, "alpha": 0.05}


# --- files built to exhaust the loader ----------------------------------------------

def test_billion_laughs_is_refused_fast_and_not_printed(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = _study(tmp_path, "\n".join(lines) + "\nname: *a9\nsources: {}\n")
    start = time.perf_counter()
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert time.perf_counter() - start < 2
    text = str(err.value)
    assert "expand to more than 100,000 values" in text and "lol" not in text and len(text) < 600


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    path = _study(tmp_path, "name: t\nsources: {}\nmeasures: &m {ux: [*m]}\n")
    with pytest.raises(StudyError, match="line 3: an alias .* refers to the anchor"):
        read_study(path)


def test_a_long_alias_value_in_a_wrong_place_is_quoted_short(tmp_path):
    items = ", ".join(f"item_{i}" for i in range(2000))
    path = _study(tmp_path, f"name: t\nsources: {{}}\nlist: &l [{items}]\ntitle: *l\n")
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert "title" in str(err.value) and len(str(err.value)) < 1000


def test_deep_nesting_is_a_study_error(tmp_path):
    path = _study(tmp_path, "name: t\nsources: {}\ntitle: " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(StudyError, match="nests lists or mappings too deeply"):
        read_study(path)


def test_an_oversized_study_file_is_refused_unread(tmp_path):
    path = _study(tmp_path, "name: t\n# " + "x" * MAX_STUDY_BYTES + "\n")
    with pytest.raises(StudyError, match="over 1 MB"):
        read_study(path)


def test_a_study_file_that_is_a_pipe_or_a_link_loop_is_refused(tmp_path):
    pipe = tmp_path / "pipe.yml"
    os.mkfifo(pipe)
    with pytest.raises(StudyError, match="named pipe"):
        read_study(pipe)  # would block for ever if opened
    loop = tmp_path / "loop.yml"
    loop.symlink_to(loop)
    with pytest.raises(StudyError, match="symbolic link in a loop"):
        read_study(loop)


# --- encodings and syntax ------------------------------------------------------------

STUDY = "name: t\ntitle: Étude café\nsources:\n  survey: {path: s.csv}\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_study_files_in_utf8_or_utf16_load(tmp_path, encoding):
    # "utf-16" writes a byte-order mark, as Notepad's "Unicode" does; -le/-be have none
    path = _study(tmp_path, STUDY, {"s.csv": "respondent\nR1\n"}, encoding=encoding)
    config, _ = read_study(path)
    assert config.title == "Étude café"


def test_a_study_file_in_another_encoding_says_where_and_how_to_fix(tmp_path):
    path = _study(tmp_path, STUDY, encoding="cp1252")
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "byte 0xc9 on line 2" in text and "Save the file as UTF-8" in text


def test_a_syntax_error_names_the_line_without_quoting_the_file(tmp_path):
    path = _study(tmp_path, "name: t\nanalysis:\n\tseed: 1\n")
    with pytest.raises(StudyError) as err:
        read_study(path)
    text = str(err.value)
    assert "line 3" in text and "indent with spaces, not tabs" in text and "seed: 1" not in text
