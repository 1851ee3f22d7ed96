"""What a command handler is given: the message, who sent it, the transaction, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from handlers.config import Config
from handlers.messages import Incoming, Reply
from handlers.texts import office_of
from storage.issuer import IssuerProfile
from storage.models import Contact, Plan, Role, Unit


@dataclass
class Context:
    session: Session  # the message's transaction: every read and write goes through it
    config: Config
    msg: Incoming
    now: datetime  # local time of the office
    args: str = ""  # the words after the command
    contact: Contact | None = None  # None: a chat not linked to anyone (only /start)
    unit: Unit | None = None
    plan: Callable[[], Plan | None] = lambda: None  # the active plan (cached by the core)
    forget: Callable[[], None] = lambda: None  # drop the core's caches (after linking)
    reply: Reply = field(default_factory=Reply)

    @property
    def office(self) -> IssuerProfile:
        """The issuing office's profile: the words every text uses to name it."""
        return office_of(self.plan())

    @property
    def person(self) -> Contact:
        """The sender, for commands the table allows only to linked people."""
        if self.contact is None:
            raise LookupError("this command needs a linked sender")
        return self.contact

    @property
    def school(self) -> Unit:
        """The sender's unit, for commands the table allows only to linked people."""
        if self.unit is None:
            raise LookupError("this command needs a linked sender")
        return self.unit

    @property
    def staff(self) -> bool:
        return self.contact is not None and self.contact.role in (Role.STAFF, Role.ADMIN)
