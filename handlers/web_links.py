"""Signed links to the web view and to report files: HMAC-SHA256 over the link's fields
with a key made of the WEB_SECRET setting and the server's random key in the database.

A person's link: `p.<contact>.<generation>.<expires>.<mac>` — refused once it expires,
once the person's generation moved on (unlinked, or `nhacviec link --revoke`) or once the
server key was rotated (`nhacviec link --rotate`). A web session is the same with `s.`;
a file link is `f.<file name>.<expires>.<mac>`."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from sqlmodel import Session

from handlers.config import Config
from storage.models import Contact, Unit
from storage.weblinks import generation, link_key

SESSION_HOURS = 12


def key(session: Session, config: Config) -> bytes:
    return hmac.new(config.web_secret.encode(), link_key(session).encode(),
                    hashlib.sha256).digest()


def _mac(secret: bytes, fields: list[str]) -> str:
    digest = hmac.new(secret, "|".join(fields).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def sign(secret: bytes, *fields: str) -> str:
    return ".".join([*fields, _mac(secret, list(fields))])


def verify(secret: bytes, token: str) -> list[str] | None:
    """The signed fields, or None when the token was not signed with *secret*."""
    parts = token.split(".")
    if len(parts) < 2 or len(token) > 512:
        return None
    fields, mac = parts[:-1], parts[-1]
    return fields if hmac.compare_digest(_mac(secret, fields), mac) else None


def person_token(session: Session, config: Config, contact_id: int, expires: datetime,
                 kind: str = "p") -> str:
    gen = generation(session, contact_id=contact_id)
    return sign(key(session, config), kind, str(contact_id), str(gen),
                str(int(expires.timestamp())))


def person_of(session: Session, config: Config, token: str, now: datetime,
              kind: str = "p") -> Contact | None:
    """The contact a link or session token was signed for — if it is still valid: not
    expired, not revoked, the contact still there and their unit active."""
    fields = verify(key(session, config), token)
    if fields is None or len(fields) != 4 or fields[0] != kind:
        return None
    _, contact_id, gen, expires = fields
    if not (contact_id.isdigit() and gen.isdigit() and expires.isdigit()):
        return None
    if int(expires) < now.timestamp():
        return None
    if int(gen) != generation(session, contact_id=int(contact_id)):
        return None
    contact = session.get(Contact, int(contact_id))
    if contact is None:
        return None
    unit = session.get(Unit, contact.unit_id)
    return contact if unit is not None and unit.active else None


def person_url(session: Session, config: Config, contact_id: int, now: datetime,
               days: int | None = None) -> tuple[str, datetime]:
    """A signed link that opens the web view as this person, and when it expires."""
    expires = now + timedelta(days=days if days is not None else config.link_days)
    token = person_token(session, config, contact_id, expires)
    return f"{config.web_url.rstrip('/')}/l/{token}", expires


def file_url(session: Session, config: Config, name: str, now: datetime,
             days: int | None = None) -> str:
    """A signed link to a report file in config.files_dir (by its name)."""
    expires = now + timedelta(days=days if days is not None else config.link_days)
    encoded = base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")
    token = sign(key(session, config), "f", encoded, str(int(expires.timestamp())))
    return f"{config.web_url.rstrip('/')}/tep/{token}"


def file_of(session: Session, config: Config, token: str, now: datetime) -> str | None:
    """The file name a file link was signed for, if still valid."""
    fields = verify(key(session, config), token)
    if fields is None or len(fields) != 3 or fields[0] != "f" or not fields[2].isdigit():
        return None
    if int(fields[2]) < now.timestamp():
        return None
    try:
        name = base64.urlsafe_b64decode(fields[1] + "=" * (-len(fields[1]) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return name if name and "/" not in name and "\\" not in name and name[0] != "." else None
