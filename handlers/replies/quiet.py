"""Quieting the bot without muting it: snooze a digest, pause until a date, acknowledge a
notice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from handlers.config import Config
from handlers.dates import day_short, moment
from handlers.messages import Incoming, Reply
from handlers.replies import texts
from handlers.replies.grammar import Kind, Parsed
from handlers.texts import office_of
from handlers.workdays import is_workday, workday_on_or_after
from storage.models import Contact
from storage.outbox import NewMessage, latest_to, mark_read, outbox_by_message, queue
from storage.pauses import add_pause
from storage.plans import active_plan

OFFICE_CLOSES = time(17, 0)


def next_send(now: datetime, config: Config, after: timedelta | None) -> datetime:
    """*after* from now if that is working time, else the next working day's send time."""
    if after is not None:
        at = now + after
        if is_workday(at.date()) and config.send_time <= at.time() <= OFFICE_CLOSES:
            return at
        day = at.date() if at.time() < config.send_time else at.date() + timedelta(days=1)
    else:
        day = now.date() + timedelta(days=1)
    return datetime.combine(workday_on_or_after(day), config.send_time, tzinfo=now.tzinfo)


def handle_quiet(session: Session, parsed: Parsed, contact: Contact, msg: Incoming,
                 now: datetime, config: Config, reply: Reply) -> Reply:
    if parsed.pause_until is not None:
        d, m, y = parsed.pause_until
        try:
            until = date(y or now.year, m, d)
        except ValueError:
            return reply.say(texts.BAD_DATE)
        if until < now.date() and y is None:
            until = until.replace(year=until.year + 1)
        add_pause(session, contact_id=contact.id, starts_on=now.date(), ends_on=until,
                  reason=msg.text[:200])
        office = office_of(active_plan(session)).short_name
        return reply.say(texts.paused(day_short(until), office))
    if parsed.kind == Kind.ACK:
        notice = latest_to(session, contact_id=contact.id or 0, kind="notice")
        if notice is None:
            return reply.say(texts.NOTHING_TO_ACK)
        mark_read(session, outbox_id=notice.id or 0, now=now)
        return reply.say(texts.ACKED)
    digest = None
    if msg.reply_to:
        digest = outbox_by_message(session, channel=msg.channel, chat_id=msg.chat_id,
                                   message_id=msg.reply_to)
    digest = digest or latest_to(session, contact_id=contact.id or 0, kind="digest")
    if digest is None:
        return reply.say(texts.NOTHING_TO_SNOOZE)
    delay = timedelta(hours=parsed.snooze_hours) if parsed.snooze_hours else None
    at = next_send(now, config, delay)
    queue(session, [NewMessage(key=f"{digest.key}:snooze:{at.isoformat()}", kind="digest",
                               contact_id=contact.id or 0, channel=msg.channel,
                               chat_id=msg.chat_id, text=digest.text, items=digest.items,
                               buttons=digest.buttons, send_after=at)], now=now)
    return reply.say(texts.snoozed(moment(at)))
