"""The cyclic garbage collector, paused around work that builds a city's worth of
short-lived rows (planning a day, a report)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Planning a city or counting its report makes hundreds of thousands of short-lived
    tuples next to long-lived objects; they hold no cycles (freed by reference counting as
    they go), so the cyclic collector would only rescan the long-lived ones again and again
    (half the time of a year's dry run, a fifth of a city's /baocao). Also a decorator."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
