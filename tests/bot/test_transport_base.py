"""What a transport hands the inbox is stored and read back unchanged."""

import json
from dataclasses import asdict

import pytest

from bot.transports.base import incoming_from, stored_form
from handlers.messages import Action, ActionKind, Incoming
from storage.models import State

MESSAGES = [
    Incoming("telegram", "42", "xong 1.1 ạ", reply_to="17", display_name="Cô Hạnh"),
    Incoming("zalo", "z9", "", file="https://example.vn/f.pdf", file_name="bc.pdf",
             file_size=1200, private=False, user_id="u1"),
    Incoming("telegram", "42", "", callback="st:1.2:done",
             action=Action(ActionKind.STATUS, "1.2", State.DONE)),
    Incoming("telegram", "42", "", action=Action(ActionKind.ANSWER, question=7, yes=True)),
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_stored_form_is_what_asdict_gives_and_reads_back(message: Incoming) -> None:
    data = stored_form(message)
    assert data == asdict(message)
    assert incoming_from(json.loads(json.dumps(data))) == message  # through a JSON column
