"""What the web view keeps: the link key, per-person revocation, and a "web" identity that
lets the web view talk to the core but never receives a pushed reminder."""

from __future__ import annotations

from sqlmodel import Session

from storage.contacts import contact_by_identity, contact_by_phone, reachable
from storage.imports import link_identity
from storage.invites import unlink
from storage.weblinks import (
    WEB,
    ensure_web_identity,
    generation,
    link_key,
    revoke,
    rotate_key,
)


def test_the_link_key_is_made_once_and_rotates(session: Session) -> None:
    first = link_key(session)
    assert len(first) == 64 and link_key(session) == first
    rotate_key(session)
    assert link_key(session) != first


def test_revoking_and_unlinking_move_the_generation_on(session: Session) -> None:
    nga = contact_by_phone(session, phone="0900000112")
    assert nga is not None and nga.id is not None
    assert generation(session, contact_id=nga.id) == 0
    assert revoke(session, contact_id=nga.id) == 1
    link_identity(session, contact_id=nga.id, channel="zalo", chat_id="z-9")
    assert unlink(session, channel="zalo", chat_id="z-9")
    assert generation(session, contact_id=nga.id) == 2


def test_the_web_identity_is_never_a_reminder_channel(session: Session) -> None:
    nga = contact_by_phone(session, phone="0900000112")
    assert nga is not None and nga.id is not None
    chat_id = ensure_web_identity(session, contact_id=nga.id)
    assert ensure_web_identity(session, contact_id=nga.id) == chat_id  # once
    assert contact_by_identity(session, channel=WEB, chat_id=chat_id) == nga
    assert all(r.channel != WEB for r in reachable(session))
    link_identity(session, contact_id=nga.id, channel="telegram", chat_id="55")
    (mine,) = [r for r in reachable(session) if r.contact_id == nga.id]
    assert (mine.channel, mine.chat_id) == ("telegram", "55")
