"""Pending questions: one per chat, the newest replacing any older one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from storage.models import PendingQuestion


def ask(session: Session, *, channel: str, chat_id: str, contact_id: int, unit_id: int,
        codes: list[str], state: str, on_behalf: bool, raw_text: str, now: datetime,
        lifetime: timedelta) -> PendingQuestion:
    drop(session, channel=channel, chat_id=chat_id)
    question = PendingQuestion(channel=channel, chat_id=chat_id, contact_id=contact_id,
                               unit_id=unit_id, codes=codes, state=state,
                               on_behalf=on_behalf, raw_text=raw_text[:500], created_at=now,
                               expires_at=now + lifetime)
    session.add(question)
    session.flush()
    return question


def latest(session: Session, *, channel: str, chat_id: str) -> PendingQuestion | None:
    """The chat's question, expired or not (the caller tells the person which)."""
    return session.exec(select(PendingQuestion)
                        .where(PendingQuestion.channel == channel,
                               PendingQuestion.chat_id == chat_id)
                        .order_by(col(PendingQuestion.id).desc())).first()


def drop(session: Session, *, channel: str, chat_id: str) -> None:
    session.exec(delete(PendingQuestion).where(
        col(PendingQuestion.channel) == channel, col(PendingQuestion.chat_id) == chat_id))
