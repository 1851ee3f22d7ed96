"""Recording what a status reply says, for the sender's own school (or, for staff, on a
school's behalf): authorization, reply context, evidence, confirmation and undo."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from handlers.config import Config
from handlers.dates import moment
from handlers.messages import Button, Incoming, Reply
from handlers.replies import texts
from handlers.replies.grammar import Parsed, Update, parse
from handlers.replies.quiet import handle_quiet
from storage.models import Contact, Plan, ReportPeriod, State, Unit
from storage.outbox import outbox_by_message
from storage.periods import periods_of, submissions_of
from storage.records import (
    Change,
    Record,
    recent_history,
    record_changes,
    records_by_id,
    submit_report,
    undo_last,
    unit_records,
)

UNDO_BUTTONS = ((Button(texts.UNDO_BUTTON, "undo"),),)
EVIDENCE_WINDOW = timedelta(minutes=30)


class StatusUpdater:
    def __init__(self, session: Session, config: Config, contact: Contact, unit: Unit,
                 msg: Incoming, now: datetime, batch: str, plan: Plan | None) -> None:
        self.session, self.config, self.plan = session, config, plan
        self.contact, self.unit, self.msg, self.now, self.batch = contact, unit, msg, now, batch
        self.on_behalf = False

    def on_behalf_of(self, unit: Unit) -> None:
        self.on_behalf = unit.id != self.unit.id
        self.unit = unit

    # -- what the message says -----------------------------------------------------------

    def handle_text(self, text: str, reply: Reply) -> Reply:
        plan = self.plan
        if plan is None:
            return reply.say(texts.NO_PLAN)
        parsed = parse(text)
        evidence = " ".join(parsed.links + ([self.msg.file] if self.msg.file else []))
        if parsed.undo:
            return self.undo(reply)
        if parsed.quiet or parsed.ack:
            return handle_quiet(self.session, parsed, self.contact, self.msg, self.now,
                                self.config, reply)
        if parsed.report:
            return self._report(parsed, plan.id or 0, text, reply)
        wanted = [u.code for u in parsed.updates if u.code]
        complete = not wanted or len(wanted) < len(parsed.updates)
        own = {r.code: r for r in unit_records(
            self.session, plan_id=plan.id or 0, unit_id=self.unit.id or 0,
            codes=None if complete else wanted)}
        if not complete and len(own) < len(set(wanted)):  # an unknown code: list them all
            own = {r.code: r for r in unit_records(self.session, plan_id=plan.id or 0,
                                                     unit_id=self.unit.id or 0)}
        if not parsed.updates:
            if evidence:
                return self._late_evidence(evidence, reply)
            if parsed.codes_without_state:
                return reply.say(texts.ask_state(parsed.codes_without_state))
            return reply.say(texts.NOT_UNDERSTOOD)
        updates = self._resolve_context(parsed.updates, own, reply)
        if updates is None:
            return reply
        unknown = [u.code for u in updates if u.code not in own]
        if unknown:
            return reply.say(texts.unknown_codes([c for c in unknown if c], list(own)))
        changes = [Change(own[u.code].assignment_id, u.state, u.percent, u.reason,
                          evidence) for u in updates if u.code]
        done = record_changes(self.session, changes=changes, contact_id=self.contact.id,
                              channel=self.msg.channel, raw_text=text, batch=self.batch,
                              on_behalf=self.on_behalf, at=self.now,
                              current={r.assignment_id: r for r in own.values()})
        lines = [self._line(r) for r, _, _ in done]
        reply.say(texts.confirmation(self.unit.name, lines, self.on_behalf),
                  buttons=UNDO_BUTTONS)
        for u in updates:
            if u.state == State.BLOCKED and not u.reason and u.code:
                reply.say(texts.ask_blocked_reason(u.code))
        return reply

    def _resolve_context(self, updates: list[Update], own: dict[str, Record],
                         reply: Reply) -> list[Update] | None:
        """Give code-less updates ("xong rồi ạ") the task of the reminder replied to."""
        if all(u.code for u in updates):
            return updates
        context: list[str] = []
        if self.msg.reply_to:
            pushed = outbox_by_message(self.session, channel=self.msg.channel,
                                       chat_id=self.msg.chat_id, message_id=self.msg.reply_to)
            if pushed is not None:
                context = [c for c in pushed.items if c in own]
        if len(context) == 1:
            return [Update(u.code or context[0], u.state, u.percent, u.reason) for u in updates]
        open_codes = [c for c, r in own.items() if r.state != State.DONE]
        reply.say(texts.ask_which(context or open_codes))
        return None

    def _line(self, r: Record) -> str:
        completed = r.completed_on
        when = texts.timing(r.state, r.due_on, completed, self.now.date())
        return f"{r.code} — {texts.state_text(r.state, r.percent, r.note)} ({when})"

    # -- evidence sent after the update ----------------------------------------------------

    def _late_evidence(self, evidence: str, reply: Reply) -> Reply:
        recent = [h for h in recent_history(self.session, contact_id=self.contact.id or 0,
                                            since=self.now - EVIDENCE_WINDOW)
                  if h.action == "record" and h.assignment_id]
        if not recent:
            return reply.say(texts.EVIDENCE_WHICH)
        last = [h.assignment_id or 0 for h in recent if h.batch == recent[0].batch]
        records = records_by_id(self.session, last)
        changes = [Change(r.assignment_id, r.state, r.percent, r.note, evidence)
                   for r in records]
        codes = [r.code for r in records]
        record_changes(self.session, changes=changes, contact_id=self.contact.id,
                       channel=self.msg.channel, raw_text=evidence, batch=self.batch,
                       on_behalf=self.on_behalf, at=self.now)
        return reply.say(texts.evidence_added(codes))

    # -- periodic and ad-hoc reports -----------------------------------------------------

    def _report(self, parsed: Parsed, plan_id: int, text: str, reply: Reply) -> Reply:
        periods = periods_of(self.session, plan_id=plan_id)
        period = self._which_period(parsed.report or "?", periods)
        if period is None:
            if parsed.report == "ADHOC":
                return reply.say(texts.NO_OPEN_ADHOC)
            return reply.say(texts.which_report([p.name for p in periods if p.periodic]))
        if parsed.report_negated:
            return reply.say(texts.report_not_submitted(period.name))
        existing = [s for s in submissions_of(self.session, period_id=period.id or 0)
                    if s.unit_id == self.unit.id]
        if existing:
            when = moment(existing[0].submitted_at.astimezone(self.config.tz))
            return reply.say(texts.report_already(period.name, when))
        submit_report(self.session, period=period, unit_id=self.unit.id or 0,
                      contact_id=self.contact.id, channel=self.msg.channel, raw_text=text,
                      batch=self.batch, on_behalf=self.on_behalf, at=self.now)
        return reply.say(texts.report_submitted(period.name, moment(self.now)),
                         buttons=UNDO_BUTTONS)

    def _which_period(self, code: str, periods: list[ReportPeriod]) -> ReportPeriod | None:
        if code == "ADHOC":
            submitted = {p.id for p in periods if any(
                s.unit_id == self.unit.id for s in submissions_of(self.session,
                                                                  period_id=p.id or 0))}
            adhoc = [p for p in periods if not p.periodic and p.id not in submitted]
            return adhoc[-1] if adhoc else None
        if code == "?":
            today = self.now.date()
            upcoming = [p for p in periods if p.periodic and p.due_on >= today - timedelta(30)]
            return upcoming[0] if upcoming else None
        return next((p for p in periods if p.periodic and p.code == code), None)

    # -- undo ----------------------------------------------------------------------------

    def undo(self, reply: Reply) -> Reply:
        result = undo_last(self.session, contact_id=self.contact.id or 0,
                           channel=self.msg.channel, batch=self.batch, at=self.now)
        if result is None:
            return reply.say(texts.NOTHING_TO_UNDO)
        lines = [self._line(r) for r in records_by_id(
            self.session, [a.id or 0 for a, _ in result.assignments])]
        for period_id in result.periods:
            period = self.session.get(ReportPeriod, period_id)
            if period is not None:
                lines.append(f"{period.name}: chưa nộp")
        return reply.say(texts.undone(lines))
