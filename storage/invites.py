"""One-time invite codes that link a chat identity to a contact."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from storage.imports import link_identity
from storage.models import Contact, Identity, Invite, LinkAttempt, utcnow
from storage.weblinks import revoke

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
MAX_WRONG_PER_HOUR = 5


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def create_invite(session: Session, *, contact_id: int, days: int,
                  now: datetime | None = None) -> Invite:
    """A fresh code for the contact; older unused codes of that contact stop working."""
    now = now or utcnow()
    for old in session.exec(select(Invite).where(Invite.contact_id == contact_id,
                                                 col(Invite.used_at).is_(None))):
        old.expires_at = min(old.expires_at, now)
        session.add(old)
    invite = Invite(code=new_code(), contact_id=contact_id, created_at=now,
                    expires_at=now + timedelta(days=days))
    session.add(invite)
    session.flush()
    return invite


def wrong_guesses(session: Session, *, channel: str, chat_id: str, now: datetime) -> int:
    return session.exec(select(func.count()).select_from(LinkAttempt).where(
        LinkAttempt.channel == channel, LinkAttempt.chat_id == chat_id,
        LinkAttempt.at > now - timedelta(hours=1))).one()


def redeem(session: Session, *, code: str, channel: str, chat_id: str,
           now: datetime | None = None) -> Contact | None:
    """Link the chat to the code's contact. A wrong, used or expired code counts as a
    wrong guess and links nothing."""
    now = now or utcnow()
    invite = session.exec(select(Invite).where(Invite.code == code.strip().upper())).first()
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        session.add(LinkAttempt(channel=channel, chat_id=chat_id, at=now))
        session.flush()
        return None
    invite.used_at = now
    session.add(invite)
    link_identity(session, contact_id=invite.contact_id, channel=channel, chat_id=chat_id)
    return session.get(Contact, invite.contact_id)


def unlink(session: Session, *, channel: str, chat_id: str) -> bool:
    """Unlink one chat identity (a person unlinking themselves)."""
    identity = session.exec(select(Identity).where(Identity.channel == channel,
                                                   Identity.chat_id == chat_id)).first()
    if identity is None:
        return False
    session.delete(identity)
    session.flush()
    revoke(session, contact_id=identity.contact_id)  # their web links stop working too
    return True


def unlink_contact(session: Session, *, contact_id: int, now: datetime | None = None) -> int:
    """Revoke every chat identity of a contact and the invite codes not yet used; returns
    how many identities were unlinked. Takes effect at once in every process (identities
    are read afresh for each message)."""
    now = now or utcnow()
    identities = list(session.exec(select(Identity).where(Identity.contact_id == contact_id)))
    for identity in identities:
        session.delete(identity)
    for invite in session.exec(select(Invite).where(Invite.contact_id == contact_id,
                                                    col(Invite.used_at).is_(None))):
        invite.expires_at = min(invite.expires_at, now)
        session.add(invite)
    session.flush()
    return len(identities)
