"""Quiet times: a person pausing reminders, or a break for everyone (contact_id None)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from storage.models import Pause


def add_pause(session: Session, *, contact_id: int | None, starts_on: date, ends_on: date,
              reason: str = "") -> Pause:
    pause = Pause(contact_id=contact_id, starts_on=starts_on, ends_on=ends_on, reason=reason)
    session.add(pause)
    session.flush()
    return pause


def pauses_on(session: Session, *, day: date) -> list[Pause]:
    return list(session.exec(select(Pause).where(Pause.starts_on <= day, Pause.ends_on >= day)))
