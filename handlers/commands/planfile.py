"""A plan file sent in the chat by staff (Telegram; Zalo bots receive no files): the
transport saved a copy (`Incoming.file_path`); the bot answers with the preview and the
buttons "Nhập" / "Huỷ". Nothing of the plan is written before "Nhập", and the file waiting
for it is kept in the database (`PendingImport`), so the answer works after a restart."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Action, ActionKind, Button, Incoming, Reply
from handlers.replies.units import looks_prefixed
from storage import pendingimports
from storage.files.errors import ImportFileError
from storage.planimport import import_plan, interpret

PLAN_SUFFIXES = (".docx", ".xlsx")  # what offices hand over; what transports fetch for it
LIFETIME = timedelta(hours=texts.IMPORT_HOURS)
YEAR_CAPTION = re.compile(r"^\s*(?:năm\s+)?((?:19|20)\d\d)\s*\.?\s*$", re.IGNORECASE)


def is_plan_file(msg: Incoming) -> bool:
    """A staff member's attachment that this module answers: a .docx or .xlsx (unless the
    words with it report for a school: "TH-CATBI xong 1.1"), or any file sent without
    words."""
    if not msg.file_name:
        return False
    if msg.file_name.lower().endswith(PLAN_SUFFIXES):
        return not looks_prefixed(msg.text.strip())
    return not msg.text.strip()


def preview(ctx: Context) -> Reply:
    msg = ctx.msg
    name = msg.file_name
    if not name.lower().endswith(PLAN_SUFFIXES):
        return ctx.reply.say(texts.not_a_plan_file(name))
    if not msg.file_path:
        if msg.file_size > ctx.config.max_file:
            return ctx.reply.say(texts.plan_file_too_large(name, ctx.config.max_file // 2**20))
        return ctx.reply.say(texts.plan_file_not_received(name))
    meta = _meta(msg.text)
    try:
        found = interpret(ctx.session, msg.file_path, **meta)
    except ImportFileError as err:
        _remove_once_stored(ctx.session, msg.file_path)
        return ctx.reply.say(texts.plan_unreadable(str(err), "--year" in err.message))
    if found.resolution.unresolved:
        _remove_once_stored(ctx.session, msg.file_path)
        return ctx.reply.say(texts.plan_unresolved(found.summary(),
                                                   len(found.resolution.unresolved)))
    held, replaced = pendingimports.hold(
        ctx.session, channel=msg.channel, chat_id=msg.sender, contact_id=ctx.person.id or 0,
        path=msg.file_path, file_name=name, meta=meta, now=ctx.now.astimezone(UTC),
        lifetime=LIFETIME)
    for path in replaced:
        if path != msg.file_path:
            _remove_once_stored(ctx.session, path)
    buttons = ((Button.of(texts.IMPORT_LABEL, Action(ActionKind.IMPORT, question=held.id or 0,
                                                     yes=True)),
                Button.of(texts.CANCEL_LABEL, Action(ActionKind.IMPORT, question=held.id or 0,
                                                     yes=False))),)
    return ctx.reply.say(texts.plan_preview(found.summary()), buttons=buttons)


def answer(ctx: Context, action: Action) -> Reply:
    """ "Nhập" imports the file previewed (read again: all of it or nothing); "Huỷ" drops
    it. Either way the file is forgotten."""
    msg = ctx.msg
    held = pendingimports.held(ctx.session, import_id=action.question, channel=msg.channel,
                               chat_id=msg.sender)
    if held is None:
        return ctx.reply.say(texts.PLAN_IMPORT_GONE)
    path, name, meta = held.path, held.file_name, dict(held.meta)
    expired = held.expires_at <= ctx.now.astimezone(UTC)
    pendingimports.drop_all(ctx.session, channel=msg.channel, chat_id=msg.sender)
    _remove_once_stored(ctx.session, path)
    if expired:
        return ctx.reply.say(texts.PLAN_IMPORT_GONE)
    if not action.yes:
        return ctx.reply.say(texts.plan_import_cancelled(name))
    try:  # both raise before anything is written: the message's transaction stays clean
        found, summary = import_plan(ctx.session, path, **meta)
    except ImportFileError as err:
        return ctx.reply.say(texts.plan_import_failed(str(err)))
    ctx.forget()  # a new active plan
    spec = found.spec
    return ctx.reply.say(texts.plan_imported(
        spec.title, spec.number, spec.year, summary.tasks_added, summary.tasks_updated,
        summary.tasks_removed, summary.assignments_added))


def _meta(caption: str) -> dict[str, Any]:
    """What the words sent with the file say about reading it: only a year ("năm 2025")."""
    found = YEAR_CAPTION.match(caption)
    return {"year": int(found.group(1))} if found else {}


def _remove_once_stored(session: Session, path: str) -> None:
    """Forget a saved copy (the file and the folder the transport made for it) once the
    message's transaction is committed: if it is rolled back and the message handled
    again, the file is still there."""

    def remove(_session: Session) -> None:
        saved = Path(path)
        saved.unlink(missing_ok=True)
        if saved.parent.is_dir() and not any(saved.parent.iterdir()):
            shutil.rmtree(saved.parent, ignore_errors=True)

    event.listen(session, "after_commit", remove, once=True)
