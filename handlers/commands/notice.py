"""/thongbao [MN|TH|THCS|PT] nội dung (/tb): a notice to every school (or one kind of
school); /thongbao alone: who has acknowledged the latest one."""

from __future__ import annotations

import uuid

from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from handlers.reminders import texts as reminder_texts
from handlers.reminders.queue import principals
from storage.contacts import contact_names
from storage.models import UnitKind
from storage.outbox import NewMessage, last_notice, queue, remember_notice
from storage.reach import unreachable_schools
from storage.textnorm import fold

KINDS = {"mn": UnitKind.MN, "th": UnitKind.TH, "thcs": UnitKind.THCS, "pt": UnitKind.PT}
HEAD = 80  # characters of the notice shown back in the status


def run(ctx: Context) -> Reply:
    body = ctx.args
    if not body:
        return status(ctx)
    first, _, rest = body.partition(" ")
    kinds = None
    if fold(first) in KINDS and rest.strip():
        kinds, body = {KINDS[fold(first)]}, rest.strip()
    elif fold(first) in ("tatca", "tat") and rest.strip():
        body = rest.removeprefix("cả").strip() if fold(first) == "tat" else rest.strip()
    prefix = f"notice:{ctx.now:%Y%m%d%H%M%S}{uuid.uuid4().hex[:6]}:"
    text = reminder_texts.notice_text(body, ctx.person.name, ctx.office.short_name)
    messages = [NewMessage(key=f"{prefix}{r.contact_id}", kind="notice",
                           contact_id=r.contact_id, channel=r.channel, chat_id=r.chat_id,
                           text=text) for r in principals(ctx.session, kinds)]
    added = queue(ctx.session, messages, now=ctx.now)
    remember_notice(ctx.session, key_prefix=prefix, body=body)
    missed = [(u.unit_code, u.reason) for u in unreachable_schools(ctx.session)
              if kinds is None or u.unit_kind in kinds]
    missing = reminder_texts.unreachable_line(missed)
    return ctx.reply.say(texts.notice_queued(added) + (f"\n{missing}" if missing else ""))


def status(ctx: Context) -> Reply:
    notice = last_notice(ctx.session)
    if notice is None:
        return ctx.reply.say(texts.NO_NOTICE_YET)
    body, rows = notice
    names = contact_names(ctx.session)
    missing = [names.get(r.contact_id, "?") for r in rows if not r.read_at]
    return ctx.reply.say(texts.notice_status(body.split("\n")[0][:HEAD],
                                             sum(1 for r in rows if r.sent_at), len(rows),
                                             sum(1 for r in rows if r.read_at), missing))
