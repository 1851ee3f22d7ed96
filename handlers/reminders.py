"""Between the database and the pure planner: load a snapshot, turn digests into outbox
rows (one per person and day), and remember the last day planned."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from handlers.core import status_buttons
from handlers.planner import Digest, Item, Recipient, Rules, Snapshot, plan_digests
from handlers.reminder_texts import digest_text
from handlers.workdays import is_workday
from storage.models import DueKind, Plan, Role, UnitKind
from storage.outbox import NewMessage, get_meta, queue, set_meta
from storage.queries import (
    active_plan,
    open_assignments,
    pauses_on,
    periods_of,
    reachable_contacts,
    submitted_pairs,
    units,
)

LAST_DAY = "planner.last_day"


def load_snapshot(session: Session, plan: Plan, today: date) -> Snapshot:
    all_units = units(session)
    schools = [u for u in all_units if u.kind != UnitKind.OFFICE]
    items = [Item(unit_id, code, content, due,
                  "task" if kind == DueKind.BY_DATE else "ongoing")
             for unit_id, code, content, due, kind in open_assignments(session,
                                                                      plan_id=plan.id or 0)]
    periods = periods_of(session, plan_id=plan.id or 0)
    done = submitted_pairs(session, plan_id=plan.id or 0)
    for p in periods:
        items += [Item(u.id or 0, p.code, p.name, p.due_on, "report")
                  for u in schools if (p.id, u.id) not in done]
    pauses = pauses_on(session, day=today)
    everyone_paused = any(p.contact_id is None for p in pauses)
    paused = {p.contact_id for p in pauses}
    recipients, seen = [], set()
    for contact, unit, identity in reachable_contacts(session):
        if contact.id in seen:
            continue  # newest identity only: one person, one message
        seen.add(contact.id)
        wanted = Role.STAFF if unit.kind == UnitKind.OFFICE else Role.PRINCIPAL
        if contact.role != wanted:
            continue
        recipients.append(Recipient(contact.id or 0, unit.id or 0, contact.name,
                                    contact.role.value, identity.channel, identity.chat_id,
                                    everyone_paused or contact.id in paused))
    return Snapshot(items, recipients, {u.id or 0: u.name for u in all_units},
                    {u.id or 0: u.code for u in all_units},
                    [p.due_on for p in periods if p.periodic],
                    {u.id or 0 for u in all_units if u.kind == UnitKind.OFFICE})


def digest_message(d: Digest, snap: Snapshot, plan: Plan, key: str) -> NewMessage:
    r = d.recipient
    text = digest_text(d, snap.unit_names.get(d.unit_id, ""), plan.number, snap.unit_codes)
    buttons = [[[b.label, b.data] for b in row]
               for row in status_buttons([ln.item.code for ln in d.overdue + d.soon])]
    items = d.codes + [ln.item.code for ln in d.reports]
    return NewMessage(key=key, kind="digest", contact_id=r.contact_id, channel=r.channel,
                      chat_id=r.chat_id, text=text, items=items, buttons=buttons)


def due_messages(session: Session, now: datetime, rules: Rules,
                 since: date | None = None) -> tuple[list[NewMessage], date]:
    """What should be queued at local time *now*: (messages, the day planned up to)."""
    today = now.date()
    plan = active_plan(session)
    if plan is None or not is_workday(today):
        return [], since or today - timedelta(days=1)
    if since is None:
        stored = get_meta(session, LAST_DAY)
        since = date.fromisoformat(stored) if stored else today - timedelta(days=1)
    if since >= today:
        return [], since
    snap = load_snapshot(session, plan, today)
    digests = plan_digests(snap, today, since, rules)
    return [digest_message(d, snap, plan, f"digest:{d.recipient.contact_id}:{today}")
            for d in digests], today


def plan_and_queue(session: Session, now: datetime, rules: Rules) -> int:
    """Queue today's digests once (safe to call as often as you like after the send time)."""
    messages, day = due_messages(session, now, rules)
    added = queue(session, messages, now=now)
    stored = get_meta(session, LAST_DAY)
    if stored is None or day.isoformat() > stored:
        set_meta(session, LAST_DAY, day.isoformat())
    return added
