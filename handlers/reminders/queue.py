"""Between the database and the pure planner: load a snapshot, turn digests into outbox
rows (one per person and day), and remember the last day planned."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlmodel import Session

from handlers.collector import collector_paused
from handlers.reminders.planner import (
    Digest,
    Item,
    Recipient,
    Rules,
    Snapshot,
    is_escalation_day,
    is_reminder_day,
    plan_digests,
)
from handlers.reminders.texts import button_rows, digest_text
from handlers.workdays import is_workday
from storage.contacts import contacts, reachable
from storage.issuer import profile_of
from storage.models import DueKind, Plan, Role, UnitKind
from storage.outbox import NewMessage, get_meta, queue, set_meta
from storage.pauses import pauses_on
from storage.periods import closures, periods_of, submitted_pairs
from storage.plans import active_plan, tasks_of
from storage.reach import unreachable_schools
from storage.records import open_assignments
from storage.units import unit_rows

LAST_DAY = "planner.last_day"
ESCALATED = "planner.escalated"  # what staff's last weekly digest listed as late


def load_snapshot(session: Session, plan: Plan, today: date, since: date | None = None,
                  rules: Rules | None = None, include_unlinked: bool = False) -> Snapshot:
    """What the planner needs. Given (since, rules), only the tasks and reports that can
    be reminded in (since, today] are loaded — a city's 250,000 assignments stay on disk
    unless a deadline of theirs comes up."""
    lean = unit_rows(session)
    office = {u.id for u in lean if u.kind == UnitKind.OFFICE}
    schools = [u.id for u in lean if u.kind != UnitKind.OFFICE]
    tasks = [t for t in tasks_of(session, plan_id=plan.id or 0)
             if t.due_kind != DueKind.ON_REQUEST]  # "theo yêu cầu": never reminded
    periods = periods_of(session, plan_id=plan.id or 0)
    report_dues = [p.due_on for p in periods if p.periodic]
    closed = {p for p, at in closures(session, plan_id=plan.id or 0).items()
              if at.date() <= today}
    periods = [p for p in periods if p.id not in closed]  # staff closed it: not owed
    wanted_tasks, wanted_periods = {t.id for t in tasks}, {p.id for p in periods}
    weekly = since is not None and rules is not None and is_escalation_day(since, today, rules)
    if since is not None and rules is not None:
        report_day = any(is_reminder_day(d, since, today, rules) and d >= today
                         for d in report_dues)
        wanted_tasks = {t.id for t in tasks if is_reminder_day(t.due_on, since, today, rules)
                        or (report_day and t.due_kind != DueKind.BY_DATE)}
        wanted_periods = {p.id for p in periods
                          if is_reminder_day(p.due_on, since, today, rules)}
        if weekly:  # staff's weekly digest: everything late long enough
            late = today - timedelta(days=rules.escalate_after)
            wanted_tasks |= {t.id for t in tasks if t.due_on < late}
            wanted_periods |= {p.id for p in periods if p.due_on < late}
    shape = {t.id: (t.code, t.content, t.due_on,
                    "task" if t.due_kind == DueKind.BY_DATE else "ongoing") for t in tasks}
    items = [Item(unit_id, *shape[task_id]) for unit_id, task_id in open_assignments(
        session, plan_id=plan.id or 0, task_ids=sorted(t for t in wanted_tasks if t))]
    done = submitted_pairs(session, plan_id=plan.id or 0)
    for p in periods:
        if p.id in wanted_periods:
            items += [Item(u, p.code, p.name, p.due_on, "report")
                      for u in schools if (p.id, u) not in done]
    pauses = pauses_on(session, day=today)
    everyone_paused = any(p.contact_id is None for p in pauses)
    paused = {p.contact_id for p in pauses}
    recipients = []
    for r in reachable(session):
        wanted = Role.STAFF if r.unit_id in office else Role.PRINCIPAL
        if r.role == wanted:
            recipients.append(Recipient(r.contact_id, r.unit_id, r.name, r.role.value,
                                        r.channel, r.chat_id,
                                        everyone_paused or r.contact_id in paused))
    if include_unlinked:  # the dry run: what they would get, marked not deliverable
        reached = {r.contact_id for r in recipients}
        for contact, unit in contacts(session):
            if contact.role == Role.PRINCIPAL and contact.id not in reached and unit.active \
                    and unit.kind != UnitKind.OFFICE:
                recipients.append(Recipient(contact.id or 0, unit.id or 0, contact.name,
                                            contact.role.value, "", "",
                                            everyone_paused or contact.id in paused))
    previous = get_meta(session, ESCALATED)
    return Snapshot(items, recipients, {u.id: u.name for u in lean},
                    {u.id: u.code for u in lean}, report_dues, office,
                    frozenset(tuple(x) for x in json.loads(previous)) if previous else frozenset(),
                    [u.unit_id for u in unreachable_schools(session)],
                    office=profile_of(plan).short_name)


def principals(session: Session, kinds: set[UnitKind] | None = None,
               unit_ids: set[int] | None = None) -> list[Recipient]:
    """The schools' principals who can be reached (of these kinds, of these units)."""
    return [Recipient(r.contact_id, r.unit_id, r.name, r.role.value, r.channel, r.chat_id)
            for r in reachable(session) if r.role == Role.PRINCIPAL
            and (kinds is None or r.unit_kind in kinds)
            and (unit_ids is None or r.unit_id in unit_ids)]


def digest_message(d: Digest, snap: Snapshot, plan: Plan, key: str) -> NewMessage:
    r = d.recipient
    text = digest_text(d, snap.unit_names.get(d.unit_id, ""), plan.number, snap.unit_names,
                       office=snap.office)
    buttons = button_rows([ln.item.code for ln in d.overdue + d.soon])
    items = d.codes + [ln.item.code for ln in d.reports]
    return NewMessage(key=key, kind="digest", contact_id=r.contact_id, channel=r.channel,
                      chat_id=r.chat_id, text=text, items=items, buttons=buttons)


def due_messages(session: Session, now: datetime, rules: Rules, since: date | None = None,
                 state: list[frozenset[tuple[int, str, str]]] | None = None,
                 include_unlinked: bool = False) -> tuple[list[NewMessage], date]:
    """What should be queued at local time *now*: (messages, the day planned up to).
    *include_unlinked*: also the digests of principals no chat reaches (channel "")."""
    today = now.date()
    plan = active_plan(session)
    if plan is None or not is_workday(today):
        return [], since or today - timedelta(days=1)
    if since is None:
        stored = get_meta(session, LAST_DAY)
        since = date.fromisoformat(stored) if stored else today - timedelta(days=1)
    if since >= today:
        return [], since
    with collector_paused():
        snap = load_snapshot(session, plan, today, since, rules, include_unlinked)
        digests = plan_digests(snap, today, since, rules)
        if is_escalation_day(since, today, rules) and state is not None:
            state.append(snap.late_now)
        return [digest_message(d, snap, plan, f"digest:{d.recipient.contact_id}:{today}")
                for d in digests], today


def plan_and_queue(session: Session, now: datetime, rules: Rules) -> int:
    """Queue today's digests once (safe to call as often as you like after the send time);
    on the weekly escalation day, remember what was late for next week's comparison."""
    state: list[frozenset[tuple[int, str, str]]] = []
    messages, day = due_messages(session, now, rules, state=state)
    added = queue(session, messages, now=now)
    if state:
        set_meta(session, ESCALATED, json.dumps(sorted(state[0]), ensure_ascii=False))
    stored = get_meta(session, LAST_DAY)
    if stored is None or day.isoformat() > stored:
        set_meta(session, LAST_DAY, day.isoformat())
    return added


def dry_run(session: Session, start: date, end: date, rules: Rules) -> list[tuple[date, int]]:
    """(day, digests) for every working day from *start* to *end*, as if nothing were
    recorded in between: one snapshot, the planner run for each day, texts built."""
    plan = active_plan(session)
    if plan is None:
        return []
    snap = load_snapshot(session, plan, start)
    out = []
    day, previous = start, start - timedelta(days=1)
    with collector_paused():
        while day <= end:
            if is_workday(day):
                digests = plan_digests(snap, day, previous, rules)
                if is_escalation_day(previous, day, rules):
                    snap.previous_escalated = snap.late_now
                for d in digests:
                    digest_message(d, snap, plan, "")
                out.append((day, len(digests)))
                previous = day
            day += timedelta(days=1)
    return out
