"""The cyclic collector is paused only for the work it wraps, whatever happens in it."""

from __future__ import annotations

import gc

import pytest

from handlers.collector import collector_paused


def test_the_collector_runs_again_after_the_work_even_when_it_fails() -> None:
    @collector_paused()
    def count() -> bool:
        raise ValueError(str(gc.isenabled()))

    with pytest.raises(ValueError, match="False"):
        count()
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
