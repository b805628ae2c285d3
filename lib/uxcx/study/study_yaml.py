"""Reading a study file's YAML as a researcher means it: text keys, no repeated keys, bounded.

PyYAML follows YAML 1.1, where ``Yes``, ``No``, ``On``, ``Off``, ``y`` and ``n`` are
booleans, ``010`` is the octal 8 and ``1:30`` the number 90. In a value map
(``values: {success: {Yes: 1, No: 0}}``) the keys ``Yes`` and ``No`` would become
``True`` and ``False``, the loader would then find no answer ``True`` in the data, and
the column would be read with the default yes/no reading: a reversed map silently
ignored. :func:`parse_study_yaml` reads the file as YAML 1.2's core schema does (only
``true``/``false`` are booleans; numbers in decimal, ``0o`` octal or ``0x`` hex; no
dates: pydantic reads ISO dates from text) and keeps **every mapping key as the text
written**: the keys of a study file are names, headers and answers, never numbers or
booleans (``1: 0`` in a value map is the answer ``"1"``, which the loader compares as
text, as before).

It also refuses what YAML accepts without a word: a key written twice in one mapping
(YAML keeps the last; the settings under the first would be lost), anchors and aliases
that expand into more values than any study needs (a "billion laughs" file), an alias
inside its own anchor, and a file over :data:`MAX_STUDY_BYTES`. Every refusal is a
:class:`~uxcx.errors.StudyError` naming the line and saying what to change; no message
quotes more than a short piece of the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from uxcx.errors import StudyError

__all__ = ["parse_study_yaml", "decode_study", "StudyLoader", "MAX_STUDY_BYTES", "MAX_NODES"]

#: A study file is a page of settings; anything larger is the wrong file.
MAX_STUDY_BYTES = 1 << 20
#: Values the file may expand to once aliases are followed (a study needs a few hundred).
MAX_NODES = 100_000
_MERGE = "tag:yaml.org,2002:merge"


class StudyLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core scalars and text keys.

    >>> yaml.load("values: {Yes: 1, No: 0, 010: 2}\\non: off\\nn: 1e3", Loader=StudyLoader)
    {'values': {'Yes': 1, 'No': 0, '010': 2}, 'on': 'off', 'n': 1000.0}
    """

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)  # merge keys (<<: *defaults); a later key overrides
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a name, not a list or a mapping", key_node.start_mark)
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node).replace("_", "")
        sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
        base = {"0o": 8, "0x": 16}.get(digits[:2].lower())
        try:
            return sign * (int(digits[2:], base) if base else int(digits, 10))
        except ValueError:
            return super().construct_yaml_int(node)  # an explicit !!int in YAML 1.1 form


StudyLoader.add_constructor("tag:yaml.org,2002:int", StudyLoader.construct_yaml_int)
StudyLoader.add_constructor("tag:yaml.org,2002:map", yaml.SafeLoader.construct_yaml_map)
# YAML 1.2 core schema (yaml.org/spec/1.2.2, 10.3.2), and the merge key of YAML 1.1
for _tag, _pattern, _first in (
        ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
        ("null", r"~|null|Null|NULL|", "~nN"),
        ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
        ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                  r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN", "-+.0123456789"),
        ("merge", r"<<", "<")):
    StudyLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$"),
                                      list(_first) + ([""] if _tag == "null" else []))


def decode_study(data: bytes, path) -> str:
    """The text of a study file: UTF-8 (with or without a byte-order mark) or UTF-16/32.

    Notepad saves "Unicode" as UTF-16 with a byte-order mark; that, UTF-16 without a
    mark (a NUL in every other byte), UTF-32 and UTF-8 are read; anything else is a
    :class:`~uxcx.errors.StudyError` saying where the first unreadable byte is.

    >>> decode_study("name: é".encode("utf-16"), "study.yml")
    'name: é'
    """
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"))
    encoding = next((enc for bom, enc in boms if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:4096]:
        encoding = "utf-16-le" if data[1:4096:2].count(0) > data[0:4096:2].count(0) else "utf-16-be"
    encoding = encoding or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise StudyError(
            f"the study file is not readable as {encoding.upper()} text: byte "
            f"0x{data[err.start]:02x} on line {line} is not valid there. Save the file as "
            "UTF-8 (in Notepad: File > Save as > Encoding: UTF-8; in other editors the same "
            "choice is under the encoding menu)", path) from None


def parse_study_yaml(path: Path):
    """The study file's content as Python values, refusing the traps described above.

    Raises
    ------
    StudyError
        The file is too large, not text, not YAML, repeats a key, or expands too far.
    """
    with open(path, "rb") as handle:
        data = handle.read(MAX_STUDY_BYTES + 1)
    if len(data) > MAX_STUDY_BYTES:
        raise StudyError(f"the study file is over {MAX_STUDY_BYTES >> 20} MB: a study file is a "
                         "page of settings; check that you named the study file (.yml), not a "
                         "data file", path)
    text = decode_study(data, path)
    loader = None
    try:
        loader = StudyLoader(text)  # the reader refuses control characters here
        node = loader.get_single_node()
        if node is None:
            return None
        problems = _repeated_keys(node) + _expansion(node)
        if problems:
            raise StudyError(problems, path)
        return loader.construct_document(node)
    except yaml.YAMLError as err:
        raise StudyError(f"not readable as YAML: {_yaml_problem(err)}", path) from None
    except RecursionError:
        raise StudyError("the study file nests lists or mappings too deeply to be a study file "
                         "(hundreds of levels); write its settings out plainly", path) from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_problem(err: yaml.YAMLError) -> str:
    """PyYAML's message without its quoted piece of the file, plus a hint for tabs."""
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    hint = ("; indent with spaces, not tabs" if "'\\t'" in problem
            else "; put the value in double quotes if it holds ': ' or starts with a special "
                 "character (* & ! % @ `)" if "mapping values" in problem or "token" in problem
            else "")
    return f"{where}{problem[:200]}{hint}"


def _key_path(path: tuple) -> str:
    return "under " + " > ".join(path) if path else "at the top level of the file"


def _repeated_keys(root) -> list[str]:
    """A message for every key written twice in one mapping (merge keys aside)."""
    out, seen_nodes, stack = [], set(), [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, SequenceNode):
            stack += [(child, (*path, f"[{i}]")) for i, child in enumerate(node.value)]
        if not isinstance(node, MappingNode):
            continue
        first: dict[str, int] = {}
        for key, value in node.value:
            if key.tag == _MERGE or not isinstance(key, ScalarNode):
                continue
            line = key.start_mark.line + 1
            if key.value in first:
                out.append(_repeated(key.value, path, first[key.value], line))
            else:
                first[key.value] = line
            stack.append((value, (*path, key.value)))
    return sorted(out)


def _repeated(key: str, path: tuple, first: int, again: int) -> str:
    shown = key if len(key) <= 60 else key[:57] + "..."
    where = f"line {again}: the key {shown!r} is written a second time {_key_path(path)} " \
            f"(first on line {first})"
    if path and path[-1] == "columns":
        return (f"{where}: a header maps to one role, and YAML would keep only the last. "
                "Delete one of the two lines (if the file really has two columns of that name, "
                "rename one in the file)")
    if path and path[-1] in ("values", "labels") or len(path) >= 2 and path[-2] in ("values", "labels"):
        return (f"{where}: YAML would keep only the last value. Keep one line per answer")
    return (f"{where}: YAML would keep only the last one and the settings under the first "
            f"would be lost. Merge the two into one {shown!r} section")


def _expansion(root) -> list[str]:
    """A message when aliases make the file expand past MAX_NODES values, or loop."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _Loop(node)
        if isinstance(node, ScalarNode):
            return 1
        open_nodes.add(key)
        children = node.value if isinstance(node, SequenceNode) else \
            [part for pair in node.value for part in pair]
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                break
        open_nodes.discard(key)
        sizes[key] = total
        return total

    try:
        total = size(root)
    except _Loop as loop:
        return [f"line {loop.node.start_mark.line + 1}: an alias (*name) refers to the anchor "
                "(&name) it sits inside, so the value would contain itself without end; "
                "write that value out instead"]
    if total > MAX_NODES:
        return [f"the anchors and aliases (&name, *name) of the study file expand to more than "
                f"{MAX_NODES:,} values, far more than any study needs (a file built to exhaust "
                "memory looks like this); write the settings out instead of nesting aliases"]
    return []


class _Loop(Exception):
    def __init__(self, node):
        super().__init__("alias loop")
        self.node = node
