"""/start CODE: linking a chat with a one-time invite code."""

from datetime import timedelta

from sqlalchemy import Engine

from handlers.core import Core
from tests.handlers.conftest import Chat, Clock, invite_code


def test_invite_codes_work_once_and_expire(core: Core, loaded: Engine, clock: Clock) -> None:
    code = invite_code(loaded, "TH-CATBI", clock)
    assert "Kính chào" in Chat(core, "a").say(f"/start {code}")
    assert "không đúng, đã dùng" in Chat(core, "b").say(f"/start {code}")
    late = invite_code(loaded, "MN-CATBI", clock)
    clock.now += timedelta(days=15)
    assert "hết hạn" in Chat(core, "c").say(f"/start {late}")


def test_wrong_guesses_are_rate_limited(core: Core, loaded: Engine, clock: Clock) -> None:
    guesser = Chat(core, "guesser")
    for n in range(5):
        assert "không đúng" in guesser.say(f"/start WRONG{n}")
    good = invite_code(loaded, "TH-CATBI", clock)
    assert "quá nhiều lần" in guesser.say(f"/start {good}")
    clock.now += timedelta(hours=2)
    assert "Kính chào" in guesser.say(f"/start {good}")
