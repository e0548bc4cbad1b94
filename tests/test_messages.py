"""The diagnostic classes: one per code, documented, used with the fields their words need.

The exact rendering of each code is checked in test_checker_diagnostics.py (policies) and
test_facility_loading.py (facility input); here: the catalogue and the documentation derive from
the classes, and no call site passes a bare code string or forgets a field.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dcpolicy.dsl import facility_messages, messages
from dcpolicy.dsl.diagnostics import Diagnostic, Message, Span, Wording
from dcpolicy.dsl.messages import BY_CODE, CATALOGUE, MESSAGES, RETIRED, errors_md_index

ROOT = Path(__file__).resolve().parent.parent
ERRORS_MD = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
FACILITY_MD = (ROOT / "docs" / "facility.md").read_text(encoding="utf-8")
SOURCES = sorted(p for folder in ("dsl", "evaluator", "cli") for p in (ROOT / folder).rglob("*.py"))
WORDS_MODULES = {"diagnostics.py", "messages.py", "facility_messages.py"}


def _sections(text: str, heading: str) -> dict[str, str]:
    """Heading code -> the text up to the next heading of the same level."""
    parts = re.split(rf"^{heading} ", text, flags=re.M)
    return {part.split()[0]: part for part in parts[1:] if re.match(r"[EWF]\d{3}\b", part)}


# ---------------------------------------------------------------- the catalogue
def test_one_class_per_code_and_the_catalogue_derives_from_them():
    codes = [cls.code for cls in MESSAGES]
    assert len(codes) == len(set(codes))
    assert CATALOGUE == {cls.code: cls.title for cls in MESSAGES}
    assert set(BY_CODE) == set(codes)
    assert {c for c in codes if c.startswith("F")} == {
        v.code for v in vars(facility_messages).values() if isinstance(v, type) and issubclass(v, Message)
        and v is not Message}
    for cls in MESSAGES:
        assert cls.severity == ("warning" if cls.code.startswith("W") else "error")
        assert cls.title and cls.title == cls.title.strip()


def test_retired_codes_have_no_class_and_are_documented_as_retired():
    assert RETIRED and not set(RETIRED) & set(CATALOGUE)
    retired = ERRORS_MD[ERRORS_MD.index("## Retired codes"):]
    for code in RETIRED:
        assert f"**{code}**" in retired
        assert f"## {code} — " not in ERRORS_MD


def test_the_split_codes_each_keep_one_meaning():
    assert CATALOGUE["E508"] == "duplicate clause"
    assert {code: CATALOGUE[code] for code in ("E512", "E513", "E514", "E515")} == {
        "E512": "clause not allowed in this declaration",
        "E513": "more than one scope",
        "E514": "exemption in the scope",
        "E515": "duplicate band level",
    }


# ---------------------------------------------------------------- the documentation
def test_every_policy_code_is_documented_with_an_example_and_every_documented_code_has_a_class():
    sections = _sections(ERRORS_MD, "##")
    documented = set(sections)
    classes = {cls.code for cls in MESSAGES if cls.code[0] in "EW"}
    assert documented == classes, (sorted(classes - documented), sorted(documented - classes))
    for cls in MESSAGES:
        if cls.code[0] in "EW":
            section = sections[cls.code]
            assert section.startswith(f"{cls.code} — {cls.title}\n"), cls.code
            assert "```policy\n" in section and "```text\n" in section, f"{cls.code} has no example"
            assert f": {cls.code} " in section, f"{cls.code}: the example does not show the code"
            assert "**Fix.**" in section, f"{cls.code} says no fix"


def test_every_facility_code_is_documented_and_every_documented_one_has_a_class():
    sections = _sections(FACILITY_MD, "###")
    classes = {cls.code for cls in MESSAGES if cls.code[0] == "F"}
    assert set(sections) == classes, (sorted(classes - set(sections)), sorted(set(sections) - classes))
    for code in classes:
        assert sections[code].startswith(f"{code} {CATALOGUE[code]}\n"), code
        assert "```" in sections[code] and code in sections[code].split("\n", 1)[1], f"{code} has no example"


def test_the_index_of_errors_md_is_derived_from_the_classes():
    # after changing a class: .venv/bin/python docs/dev/update_errors_index.py
    assert errors_md_index() in ERRORS_MD
    for code in CATALOGUE:
        if code[0] in "EW":
            link = re.search(rf"\| \[{code}\]\(#([^)]+)\) \|", ERRORS_MD)
            heading = f"## {code} — {CATALOGUE[code]}"
            assert link and heading in ERRORS_MD
            assert link.group(1) == messages._anchor(heading[3:])


# ---------------------------------------------------------------- the words
def test_wordings_fill_in_their_fields():
    diagnostic = messages.E502.at(Span.point("a.policy", 3, 1), name="a", line=2)
    assert diagnostic == Diagnostic("E502", '"a" is already defined on line 2', Span.point("a.policy", 3, 1),
                                    "rename one of them, or delete the duplicate")
    assert messages.E502.builtin.at(None, name="sum").message == '"sum" is a built-in name and cannot be redefined'
    assert messages.E201.at(None, name="pu", did_you_mean="pue").hint == 'did you mean "pue"?'
    assert messages.E201.at(None, name="erf").hint == "define it with  define erf = …"
    assert messages.E201.at(None, name="x", hint=None).hint is None
    assert messages.E504.exemption.code == "E504" and messages.E504.main.code == "E504"


def test_a_missing_field_is_named():
    with pytest.raises(TypeError, match=r"E502\.main needs the fields \['line'\]"):
        messages.E502.at(None, name="a")


def test_a_message_class_is_not_instantiated_and_is_named_after_its_code():
    with pytest.raises(TypeError, match="E502.at"):
        messages.E502()
    with pytest.raises(TypeError, match="named after its code"):
        type("UnknownName", (Message,), {"title": "t", "template": "x"})
    with pytest.raises(TypeError, match="needs a title"):
        type("E999", (Message,), {"template": "x"})


def test_every_template_is_well_formed():
    for cls in MESSAGES:
        for wording in cls.wordings():
            assert wording.code == cls.code
            fields = {name: "x" for name in wording.fields}
            fields.update(byte=0, fraction=0.5)  # numeric format specs
            diagnostic = wording.at(None, **fields)
            assert diagnostic.code == cls.code and diagnostic.message


# ---------------------------------------------------------------- the call sites
def _message_class(node) -> type[Message] | None:
    if isinstance(node, ast.Name) and node.id in BY_CODE:
        return BY_CODE[node.id]
    return None


def _wording(node) -> Wording | None:
    """The wording a call's receiver names statically: E502 or E502.builtin (None if computed)."""
    cls = _message_class(node)
    if cls is not None:
        return cls.main
    if isinstance(node, ast.Attribute):
        cls = _message_class(node.value)
        if cls is not None:
            wording = getattr(cls, node.attr, None)
            assert isinstance(wording, Wording), f"{cls.code}.{node.attr} is not a wording"
            return wording
    return None


def _call_sites():
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            yield path, node


def test_no_call_site_passes_a_bare_code_string():
    bare = re.compile(r"^[EWF][1-9]\d\d$")
    found = [f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}" for path, node in _call_sites()
             if path.name not in WORDS_MODULES and isinstance(node, ast.Constant) and isinstance(node.value, str)
             and bare.match(node.value)]
    assert not found, "use the class from dsl/messages.py or dsl/facility_messages.py:\n" + "\n".join(found)


def test_every_call_site_fills_the_fields_its_words_need():
    problems = []
    for path, node in _call_sites():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "at"):
            continue
        wording = _wording(node.func.value)
        if wording is None:
            continue
        given = {k.arg for k in node.keywords}
        if None in given:  # **fields
            continue
        # with hint= the wording's hint is not used; did_you_mean= may be None, and then it is
        needed = Wording(wording.template).fields if "hint" in given else wording.fields
        missing = needed - given
        if missing:
            problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {wording.code}.{wording.name} "
                            f"needs {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_every_wording_is_used_somewhere():
    used: set[tuple[str, str]] = set()
    for _path, node in _call_sites():
        if isinstance(node, ast.Attribute):
            cls = _message_class(node.value)
            if cls is not None:
                used.add((cls.code, "main" if node.attr == "at" else node.attr))
    unused = [f"{cls.code}.{w.name}" for cls in MESSAGES for w in cls.wordings() if (cls.code, w.name) not in used]
    assert not unused, unused
