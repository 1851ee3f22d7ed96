"""Signed links: what makes one valid, and the /web command that hands one out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine

from bot.settings import Settings
from handlers.config import Config
from handlers.web_links import file_of, file_url, person_of, person_url, sign, verify
from storage.contacts import contact_by_phone
from storage.db import session_scope
from storage.models import Unit
from storage.weblinks import revoke, rotate_key
from tests.handlers.conftest import Clock


def web_config(**changes: str) -> Config:
    return replace(Settings.defaults().config(), **changes)


def test_sign_and_verify() -> None:
    token = sign(b"key", "p", "1", "0", "99")
    assert verify(b"key", token) == ["p", "1", "0", "99"]
    assert verify(b"other", token) is None
    assert verify(b"key", token.replace(".1.", ".2.")) is None
    assert verify(b"key", "nodots") is None


def test_a_person_link_is_valid_until_it_expires_or_is_revoked(loaded: Engine,
                                                               clock: Clock) -> None:
    config = web_config(web_url="https://pgd.example/", web_secret="x")
    now = clock()
    with session_scope(loaded) as session:
        nga = contact_by_phone(session, phone="0900000112")
        assert nga is not None
        url, expires = person_url(session, config, nga.id or 0, now)
        assert url.startswith("https://pgd.example/l/p.") and expires == now + timedelta(7)
        token = url.rsplit("/", 1)[1]
        assert person_of(session, config, token, now) == nga
        assert person_of(session, config, token, expires + timedelta(seconds=1)) is None
        assert person_of(session, config, token, now, kind="s") is None  # not a session
        assert person_of(session, web_config(web_secret="y"), token, now) is None
        revoke(session, contact_id=nga.id or 0)
        assert person_of(session, config, token, now) is None
        fresh = person_url(session, config, nga.id or 0, now, days=1)[0].rsplit("/", 1)[1]
        assert person_of(session, config, fresh, now) == nga
        unit = session.get(Unit, nga.unit_id)
        assert unit is not None
        unit.active = False  # a school closed: its links stop
        session.add(unit)
        assert person_of(session, config, fresh, now) is None
        unit.active = True
        rotate_key(session)
        assert person_of(session, config, fresh, now) is None


def test_file_links_name_only_a_plain_file(loaded: Engine, clock: Clock) -> None:
    config = web_config(web_url="https://pgd.example")
    with session_scope(loaded) as session:
        url = file_url(session, config, "bao-cao-20240320.xlsx", clock())
        assert file_of(session, config, url.rsplit("/", 1)[1], clock()) == "bao-cao-20240320.xlsx"
        for sneaky in ("../nhacviec.db", ".env", ""):
            token = file_url(session, config, sneaky, clock()).rsplit("/", 1)[1]
            assert file_of(session, config, token, clock()) is None
