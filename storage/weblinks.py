"""What the web view keeps in the database: the server's link key (rotating it revokes
every signed link), one revocation counter per person (bumped when the person is unlinked
or their links are revoked), and the "web" identity through which the web view talks to
the conversation core."""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from storage.models import Identity, Meta

WEB = "web"  # the channel name of the web view (never a channel reminders are pushed to)
KEY = "web.key"


def _get(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def _set(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key) or Meta(key=key, value=value)
    row.value = value
    session.add(row)
    session.flush()


def link_key(session: Session) -> str:
    """The server's random link key, made on first use."""
    value = _get(session, KEY)
    if value is None:
        value = secrets.token_hex(32)
        _set(session, KEY, value)
    return value


def rotate_key(session: Session) -> None:
    """A new link key: every link and web session signed so far stops working."""
    _set(session, KEY, secrets.token_hex(32))


def generation(session: Session, *, contact_id: int) -> int:
    """The person's link generation: links signed with an older one are refused."""
    return int(_get(session, f"web.gen.{contact_id}") or 0)


def revoke(session: Session, *, contact_id: int) -> int:
    """Revoke every link and web session of one person; returns the new generation."""
    new = generation(session, contact_id=contact_id) + 1
    _set(session, f"web.gen.{contact_id}", str(new))
    return new


def web_chat_id(contact_id: int) -> str:
    return f"contact-{contact_id}"


def ensure_web_identity(session: Session, *, contact_id: int) -> str:
    """The chat id under which the web view speaks to the core for this person."""
    chat_id = web_chat_id(contact_id)
    identity = session.exec(select(Identity).where(Identity.channel == WEB,
                                                   Identity.chat_id == chat_id)).first()
    if identity is None:
        session.add(Identity(contact_id=contact_id, channel=WEB, chat_id=chat_id))
        session.flush()
    return chat_id
