"""The library's exceptions: one base the bot and CLI catch, and source errors that fetch errors are."""

from __future__ import annotations

import inspect

import pytest

from index import errors
from index.errors import FetchError, SitrepError, SourceError


def test_every_library_error_is_a_sitrep_error_with_a_docstring() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, SitrepError) and cls.__name__.endswith("Error"), cls
        assert cls.__doc__, cls


def test_a_fetch_error_is_a_source_error() -> None:
    # A URL that can't be fetched is reported like any unreadable source.
    with pytest.raises(SourceError, match="timed out"):
        raise FetchError("https://x.example: timed out after 20 s")


def test_messages_are_kept_as_given() -> None:
    assert str(errors.LabelError("'AP' has no label here.")) == "'AP' has no label here."
