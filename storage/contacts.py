"""People: contacts, their linked chats, and who can be reached."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Contact, Identity, Role, Unit, UnitKind
from storage.weblinks import WEB


def contacts(session: Session) -> list[tuple[Contact, Unit]]:
    rows = session.exec(select(Contact, Unit).join(Unit, col(Contact.unit_id) == Unit.id)
                        .order_by(col(Unit.code), col(Contact.role), col(Contact.name)))
    return list(rows)


def contact_by_phone(session: Session, *, phone: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.phone == phone)).first()


def contact_by_identity(session: Session, *, channel: str, chat_id: str) -> Contact | None:
    return contacts_by_identity(session, [(channel, chat_id)]).get((channel, chat_id))


_BY_IDENTITIES = (select(Identity.chat_id, Contact)  # built once: every message asks it
                  .join(Contact, col(Identity.contact_id) == Contact.id)
                  .where(col(Identity.channel) == bindparam("channel"),
                         col(Identity.chat_id).in_(bindparam("chats", expanding=True))))
# (channel, chat_id) is indexed: one search per chat, not a scan of everyone linked


def contacts_by_identity(session: Session, senders: list[tuple[str, str]]
                         ) -> dict[tuple[str, str], Contact]:
    """The people behind many (channel, chat id) pairs: one query per channel (a wave of
    messages)."""
    chats: dict[str, set[str]] = {}
    for channel, chat in senders:
        chats.setdefault(channel, set()).add(chat)
    return {(channel, chat): contact for channel, wanted in sorted(chats.items())
            for chat, contact in session.exec(_BY_IDENTITIES, params={
                "channel": channel, "chats": sorted(wanted)})}


def identities_of(session: Session, *, contact_id: int) -> list[Identity]:
    return list(session.exec(select(Identity).where(Identity.contact_id == contact_id)
                             .order_by(col(Identity.channel))))


def contacts_of_unit(session: Session, *, unit_id: int, role: Role | None = None
                     ) -> list[Contact]:
    query = select(Contact).where(Contact.unit_id == unit_id)
    if role is not None:
        query = query.where(Contact.role == role)
    return list(session.exec(query.order_by(col(Contact.id))))


def contact_names(session: Session) -> dict[int, str]:
    return {c.id or 0: c.name for c in session.exec(select(Contact))}


class Reachable(NamedTuple):
    """A linked contact and the chat that reaches them."""

    contact_id: int
    name: str
    role: Role
    unit_id: int
    unit_kind: UnitKind
    channel: str
    chat_id: str


REACHABLE: tuple[Any, ...] = (Contact.id, Contact.name, Contact.role, Contact.unit_id,
                              Unit.kind, Identity.channel, Identity.chat_id)


def reachable(session: Session) -> list[Reachable]:
    """Every contact of an active unit with a linked chat, once, by their newest identity
    (one person, one message), in contact order."""
    rows = session.connection().execute(
        sa_select(*REACHABLE)
        .join(Unit, col(Contact.unit_id) == Unit.id)
        .join(Identity, col(Identity.contact_id) == Contact.id)
        .where(col(Unit.active) == True, col(Identity.channel) != WEB)  # noqa: E712
        .order_by(col(Contact.id), col(Identity.linked_at).desc(), col(Identity.id).desc()))
    out: list[Reachable] = []
    for row in rows:
        if not out or out[-1].contact_id != row[0]:
            out.append(Reachable(*row))
    return out
