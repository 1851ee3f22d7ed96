"""Plan files previewed in a chat, waiting for "Nhập" or "Huỷ": one per person, the newest
replacing any older one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, delete, select

from storage.models import PendingImport


def hold(session: Session, *, channel: str, chat_id: str, contact_id: int, path: str,
         file_name: str, meta: dict[str, Any], now: datetime,
         lifetime: timedelta) -> tuple[PendingImport, list[str]]:
    """Keep a previewed file; returns it and the paths of the older ones it replaced
    (for the caller to remove)."""
    replaced = drop_all(session, channel=channel, chat_id=chat_id)
    held = PendingImport(channel=channel, chat_id=chat_id, contact_id=contact_id, path=path,
                         file_name=file_name, meta=meta, created_at=now,
                         expires_at=now + lifetime)
    session.add(held)
    session.flush()
    return held, replaced


def held(session: Session, *, import_id: int, channel: str,
         chat_id: str) -> PendingImport | None:
    """The file previewed for this person under *import_id*, expired or not."""
    return session.exec(select(PendingImport).where(
        PendingImport.id == import_id, PendingImport.channel == channel,
        PendingImport.chat_id == chat_id)).first()


def drop_all(session: Session, *, channel: str, chat_id: str) -> list[str]:
    """Forget this person's previewed files; returns their paths."""
    paths = list(session.exec(select(PendingImport.path).where(
        PendingImport.channel == channel, PendingImport.chat_id == chat_id)))
    session.exec(delete(PendingImport).where(
        col(PendingImport.channel) == channel, col(PendingImport.chat_id) == chat_id))
    return paths
