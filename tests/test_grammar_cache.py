"""The parser built by Lark is kept between runs only in a folder of the user's own (dsl/parser.py).

Lark's default cache (`cache=True`) unpickles a file of a guessable name from the shared temporary
directory, which another local user could plant; the project keeps it in `<tmp>/dcpolicy-<uid>`, made
0700, and builds the parser afresh when that folder is not a real folder, not the user's, or open to others.
"""

from __future__ import annotations

import os
import stat

import pytest

from dcpolicy.dsl import parser

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")


@pytest.fixture
def tmp_root(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    return tmp_path


def test_the_parser_cache_lives_in_a_private_folder(tmp_root):
    path = parser._grammar_cache()
    folder = tmp_root / f"dcpolicy-{os.getuid()}"
    assert os.path.dirname(path) == str(folder)
    assert stat.S_IMODE(os.lstat(folder).st_mode) == 0o700


def test_a_folder_open_to_others_is_not_trusted(tmp_root):
    folder = tmp_root / f"dcpolicy-{os.getuid()}"
    folder.mkdir()
    folder.chmod(0o777)
    assert parser._grammar_cache() is False


@pytest.mark.parametrize("planted", ["file", "link"])
def test_something_planted_in_its_place_is_not_trusted(tmp_root, planted):
    place = tmp_root / f"dcpolicy-{os.getuid()}"
    if planted == "file":
        place.write_bytes(b"not a folder")
    else:
        target = tmp_root / "elsewhere"
        target.mkdir(mode=0o700)
        place.symlink_to(target)
    assert parser._grammar_cache() is False


@pytest.mark.skipif(os.getuid() != 0, reason="needs to give the folder to another user")
def test_a_folder_of_another_user_is_not_trusted(tmp_root):
    folder = tmp_root / f"dcpolicy-{os.getuid()}"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    assert parser._grammar_cache() is False
