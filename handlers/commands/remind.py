"""/nhacnho MÃ_TRƯỜNG | MÃ_NHIỆM_VỤ (/nhac): a digest right now, whatever the calendar says."""

from __future__ import annotations

import re
import uuid

from handlers.commands import texts
from handlers.context import Context
from handlers.messages import Reply
from handlers.reminders import texts as reminder_texts
from handlers.reminders.planner import Digest, Line
from handlers.reminders.queue import digest_message, load_snapshot, principals
from storage.outbox import queue
from storage.plans import active_plan
from storage.reach import unreachable_schools
from storage.units import unit_by_code


def run(ctx: Context) -> Reply:
    session, today = ctx.session, ctx.now.date()
    plan = active_plan(session)
    key = ctx.args.split()[0] if ctx.args else ""
    if plan is None or not key:
        return ctx.reply.say(texts.USAGE_REMIND)
    snap = load_snapshot(session, plan, today)
    unit = unit_by_code(session, code=key)
    if unit is not None:
        items = [i for i in snap.items if i.unit_id == unit.id]
    elif re.fullmatch(r"\d{1,2}\.\d{1,2}", key):
        items = [i for i in snap.items if i.code == key]
    else:
        return ctx.reply.say(texts.USAGE_REMIND)
    batch = uuid.uuid4().hex[:12]
    messages = []
    for r in principals(session, unit_ids={i.unit_id for i in items}):
        digest = Digest(r, today, r.unit_id)
        for item in items:
            if item.unit_id == r.unit_id:
                digest.add(Line(item, (item.due - today).days))
        messages.append(digest_message(digest, snap, plan, f"manual:{batch}:{r.contact_id}"))
    added = queue(session, messages, now=ctx.now)
    wanted = {i.unit_id for i in items}
    missing = reminder_texts.unreachable_line([(u.unit_code, u.reason)
                                               for u in unreachable_schools(session)
                                               if u.unit_id in wanted])
    tail = f"\n{missing}" if missing else ""
    if not added:
        return ctx.reply.say(texts.NOBODY_TO_REMIND + tail)
    return ctx.reply.say(texts.reminders_queued(added) + tail)
