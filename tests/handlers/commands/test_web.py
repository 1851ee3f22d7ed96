"""/web: a button that opens the web view (Telegram: as a Mini App) with a signed link."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from handlers.commands.texts import WEB_NOT_ENABLED
from handlers.core import Core
from handlers.web_links import person_of
from storage.db import session_scope
from tests.handlers.conftest import Chat, Clock


def test_web_command_answers_with_a_button_that_opens_the_page(loaded: Engine, clock: Clock,
                                                               linked) -> None:  # noqa: ANN001
    chat = linked("TH-CATBI")
    (off,) = chat.send("/web")
    assert off.text == WEB_NOT_ENABLED and not off.buttons
    chat = Chat(Core(loaded, replace(chat.core.config, web_url="https://pgd.example")),
                chat.chat_id)
    (answer,) = chat.send("/web")
    (button,) = answer.buttons[0]
    assert button.url.startswith("https://pgd.example/l/p.") and not button.data
    assert "27/3/2024" in answer.text  # valid for a week
    with session_scope(loaded) as session:
        contact = person_of(session, chat.core.config, button.url.rsplit("/", 1)[1], clock())
        assert contact is not None and contact.phone == "0900000112"
    stranger = Chat(chat.core, "nobody")
    assert "chưa được liên kết" in stranger.say("/web")

