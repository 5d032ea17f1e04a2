"""--input expansion: files, directories (recursive), globs; nothing matched is an error."""

from __future__ import annotations

import pytest

from kiyome.pipeline.inputs import UsageError, expand_inputs
from kiyome.pipeline.runner import beam_args


@pytest.fixture
def tree(tmp_path):
    for name in ("a.txt", "sub/b.md", "sub/deeper/c.jsonl", "sub/deeper/d.html"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("本文", encoding="utf-8")
    return tmp_path


def _names(files):
    return [item.path.rsplit("/", 1)[-1] for item in files]


def test_directory_is_read_recursively(tree):
    assert _names(expand_inputs([str(tree)])) == ["a.txt", "b.md", "c.jsonl", "d.html"]


def test_glob_and_file_and_duplicates(tree):
    files = expand_inputs([str(tree / "**" / "*.html"), str(tree / "a.txt"), str(tree / "a.txt")])
    assert _names(files) == ["a.txt", "d.html"]
    assert all(item.size == len("本文".encode()) for item in files)


def test_glob_matching_nothing_is_an_error(tree):
    with pytest.raises(UsageError, match="matches no files"):
        expand_inputs([str(tree / "*.pdf")])


def test_dataflow_options_pass_through_untouched():
    flags = ["--runner", "DataflowRunner", "--project", "p", "--region", "asia-northeast1",
             "--temp_location", "gs://b/tmp"]
    assert beam_args(flags) == flags
