"""The neutral data the core exchanges with transports."""

from __future__ import annotations

import pytest

from handlers.messages import Action, ActionKind, Button
from storage.models import State


@pytest.mark.parametrize("action", [Action(ActionKind.UNDO)] + [
    Action(ActionKind.STATUS, "1.2", state) for state in State] + [
    Action(kind, question=123456789, yes=yes) for kind in (ActionKind.ANSWER, ActionKind.IMPORT)
    for yes in (True, False)])
def test_an_action_survives_its_button_data(action: Action) -> None:
    assert Action.decode(action.encode()) == action
    assert len(action.encode().encode()) <= 64  # Telegram's limit for callback data


@pytest.mark.parametrize("data", ["", "st", "st:1.2", "st::done", "st:1.2:finished", "xong 1.1",
                                  "undo:1", "imp:1:3", "imp::1", "imp:x:1", "imp:1:"])
def test_data_that_is_no_action_reads_as_none(data: str) -> None:
    assert Action.decode(data) is None


def test_a_button_carries_its_action_encoded() -> None:
    assert Button.of("✅ Xong 1.2", Action(ActionKind.STATUS, "1.2", State.DONE)).data \
        == "st:1.2:done"
