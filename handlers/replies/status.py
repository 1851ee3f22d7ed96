"""Recording what a status reply says, for the sender's own school (or, for staff, on a
school's behalf): what is certain is written, what is not is asked back with one tap and
kept as a pending question (24 hours) until answered; small talk, questions and plans are
answered without writing anything. Also evidence, reports and undo."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from handlers.config import Config
from handlers.dates import day_short, moment
from handlers.messages import Action, ActionKind, Button, Incoming, Reply
from handlers.replies import texts
from handlers.replies.grammar import Kind, Meaning, Parsed, Said, in_context, parse
from handlers.replies.quiet import handle_quiet
from handlers.replies.units import looks_prefixed, split_prefix
from handlers.texts import office_of
from storage import pending
from storage.contacts import contacts_of_unit
from storage.models import (
    Contact,
    PendingQuestion,
    Plan,
    ReportPeriod,
    Role,
    State,
    Unit,
    UnitKind,
)
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
from storage.textnorm import fold
from storage.units import units

UNDO_BUTTONS = ((Button(texts.UNDO_BUTTON, "undo"),),)
EVIDENCE_WINDOW = timedelta(minutes=30)
QUESTION_LIFETIME = timedelta(hours=24)
BUTTON_CHANNELS = frozenset({"telegram"})  # the others get numbered choices to type
ANSWER = re.compile(r"^\s*(?:(1|có|co|đúng|dung|đúng rồi|dung roi|vâng|vang)|"
                    r"(2|chưa|chua|không|khong|ko))\s*[.!]*\s*(?:ạ|a)?\s*$", re.IGNORECASE)
SAID_STATE = {Said.DONE: State.DONE, Said.PROGRESS: State.IN_PROGRESS,
              Said.NOT_STARTED: State.NOT_STARTED, Said.BLOCKED: State.BLOCKED}


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

    def handle_message(self, text: str, reply: Reply) -> Reply:
        """The one entry point from the core for a message that is not a command."""
        if self.plan is None:
            return reply.say(texts.NO_PLAN)
        action = self.msg.action
        if action is not None and action.kind == ActionKind.ANSWER:
            return self._answer(action.question, action.yes, reply)
        if (typed := ANSWER.match(text)) is not None:
            question = pending.latest(self.session, channel=self.msg.channel,
                                      chat_id=self.msg.chat_id)
            numbered = text.strip() in (texts.YES, texts.NO)
            if question is not None and (numbered or _aware(question.expires_at) > self.now):
                return self._answer(question.id or 0, typed.group(1) is not None, reply,
                                    question)
            if question is not None:  # a stale question does not capture a plain "chưa"
                pending.drop(self.session, channel=self.msg.channel, chat_id=self.msg.chat_id)
        body = text
        if looks_prefixed(text):
            known = units(self.session)
            prefix = split_prefix(text, known)
            if prefix is not None:
                staff = self.contact.role in (Role.STAFF, Role.ADMIN)
                target = next((u for u in known if u.code == prefix.unit_code), None)
                if target is None:
                    return reply.say(texts.unknown_unit(prefix.typed, prefix.nearest))
                if target.id != self.unit.id and not staff:
                    return reply.say(texts.OTHER_SCHOOL)
                self.on_behalf_of(target)
                body = prefix.body
        return self.handle_text(body, reply)

    def handle_text(self, text: str, reply: Reply) -> Reply:
        plan = self.plan
        if plan is None:
            return reply.say(texts.NO_PLAN)
        parsed = parse(text)
        kind = parsed.kind
        if kind == Kind.UNDO:
            return self.undo(reply)
        if parsed.quiet:
            return handle_quiet(self.session, parsed, self.contact, self.msg, self.now,
                                self.config, reply)
        if kind in (Kind.REPORT, Kind.REPORT_NOT):
            return self._report(parsed, plan.id or 0, text, reply)
        evidence = " ".join(parsed.links + ([self.msg.file] if self.msg.file else []))
        needs_context = parsed.bare_ok or kind == Kind.QUESTION or any(
            u.code is None for u in parsed.updates) or any(
            d.code is None for d in parsed.doubts) or "" in parsed.out_of_range
        context = self._context() if needs_context else []
        meaning = in_context(parsed, context)
        if meaning.updates or meaning.doubts or meaning.out_of_range:
            return self._status(meaning, text, evidence, reply)
        if meaning.which:
            own = unit_records(self.session, plan_id=plan.id or 0, unit_id=self.unit.id or 0)
            return reply.say(texts.ask_which(
                context or [r.code for r in own if r.state != State.DONE]))
        if evidence and kind in (Kind.EVIDENCE, Kind.GIBBERISH, Kind.SMALLTALK):
            return self._late_evidence(evidence, reply)
        if kind == Kind.SMALLTALK:
            return reply.say(_small_talk(text))
        if kind == Kind.QUESTION:
            return self._question(parsed.unwritten or context, reply)
        if kind in (Kind.INTENTION, Kind.NEAR):
            return reply.say(texts.not_now(parsed.unwritten or context))
        if kind == Kind.OFFTOPIC:
            return reply.say(texts.off_topic(self._office_contact(), self._office_name()))
        return reply.say(texts.NOT_UNDERSTOOD)

    def _context(self) -> list[str]:
        """The task codes of the reminder this message replies to (if it replies to one)."""
        if not self.msg.reply_to:
            return []
        pushed = outbox_by_message(self.session, channel=self.msg.channel,
                                   chat_id=self.msg.chat_id, message_id=self.msg.reply_to)
        return list(pushed.items) if pushed is not None else []

    def _status(self, meaning: Meaning, text: str, evidence: str, reply: Reply) -> Reply:
        plan_id = (self.plan.id if self.plan else 0) or 0
        named = [u.code for u in meaning.updates if u.code] + meaning.doubts + [
            c for c in meaning.out_of_range if c]
        own = {r.code: r for r in unit_records(self.session, plan_id=plan_id,
                                               unit_id=self.unit.id or 0, codes=named)}
        unknown = [c for c in dict.fromkeys(named) if c not in own]
        if unknown:
            every = unit_records(self.session, plan_id=plan_id, unit_id=self.unit.id or 0)
            return reply.say(texts.unknown_codes(unknown, [r.code for r in every]))
        if meaning.out_of_range:
            reply.say(texts.out_of_range(meaning.out_of_range))
        today = self.now.date()
        updates, days = [], {}
        for u in meaning.updates:  # "xong ngày 25/2": done that day
            if u.code and u.on:
                day = done_on(u.on, today)
                if day is None or day > today:  # no such day, or one to come: a plan
                    reply.say(texts.day_not_past(u.code, day, u.on))
                    continue
                days[u.code] = day
            updates.append(u)
        if updates:
            changes = [self._change(own[u.code], u.said, u.percent, u.reason, evidence,
                                    days.get(u.code))
                       for u in updates if u.code]
            done = record_changes(self.session, changes=changes, contact_id=self.contact.id,
                                  channel=self.msg.channel, raw_text=text, batch=self.batch,
                                  on_behalf=self.on_behalf, at=self.now,
                                  current={r.assignment_id: r for r in own.values()})
            reply.say(texts.confirmation(self.unit.name, self._lines([r for r, _, _ in done]),
                                         self.on_behalf), buttons=UNDO_BUTTONS)
            unkept: dict[str, list[str]] = {}  # "chưa xong vì …": reason → codes
            for u in updates:
                if u.said == Said.BLOCKED and not u.reason and u.code:
                    reply.say(texts.ask_blocked_reason(u.code))
                elif u.said != Said.BLOCKED and u.reason and u.code:
                    unkept.setdefault(u.reason, []).append(u.code)
            for reason, codes in unkept.items():
                reply.say(texts.reason_not_kept(codes, reason))
        if meaning.doubts:
            self._ask(meaning.doubts, State.DONE, text, reply)
        return reply

    def _change(self, record: Record, said: Said, percent: int | None, reason: str,
                evidence: str, day: date | None = None) -> Change:
        if said == Said.NOT_DONE:  # not finished: reopen a done task, keep anything else
            state = State.IN_PROGRESS if record.state == State.DONE else record.state
            return Change(record.assignment_id, state, None, "", evidence)
        return Change(record.assignment_id, SAID_STATE[said], percent,
                      reason if said == Said.BLOCKED else "", evidence, day)

    def _lines(self, records: list[Record]) -> list[str]:
        """One short line per task; identical lines folded when there are several."""
        if len(records) == 1:
            return [self._line(records[0])]
        today = self.now.date()
        items = []
        for r in records:
            what = texts.state_text(r.state, r.percent, r.note)
            if r.state == State.DONE:
                what += f" ({texts.timing(r.state, r.due_on, r.completed_on, today)})"
            items.append((r.code, what))
        return texts.fold_lines(items)

    def _line(self, r: Record) -> str:
        completed = r.completed_on
        when = texts.timing(r.state, r.due_on, completed, self.now.date())
        return f"{r.code} — {texts.state_text(r.state, r.percent, r.note)} ({when})"

    # -- asking back -----------------------------------------------------------------------

    def _ask(self, codes: list[str], state: State, text: str, reply: Reply) -> None:
        question = pending.ask(self.session, channel=self.msg.channel,
                               chat_id=self.msg.chat_id, contact_id=self.contact.id or 0,
                               unit_id=self.unit.id or 0, codes=codes, state=state.value,
                               on_behalf=self.on_behalf, raw_text=text, now=self.now,
                               lifetime=QUESTION_LIFETIME)
        if self.msg.channel in BUTTON_CHANNELS:
            yes = Action(ActionKind.ANSWER, question=question.id or 0, yes=True)
            no = Action(ActionKind.ANSWER, question=question.id or 0, yes=False)
            buttons = ((Button(texts.confirm_label(state, codes), yes.encode()),
                        Button(texts.NO_LABEL, no.encode())),)
            reply.say(texts.ask_confirm(state, codes, numbered=False), buttons=buttons)
        else:
            reply.say(texts.ask_confirm(state, codes, numbered=True))

    def _answer(self, question_id: int, yes: bool, reply: Reply,
                question: PendingQuestion | None = None) -> Reply:
        question = question or self.session.get(PendingQuestion, question_id)
        if question is None or question.chat_id != self.msg.chat_id or \
                question.channel != self.msg.channel:
            return reply.say(texts.ANSWER_EXPIRED)
        pending.drop(self.session, channel=self.msg.channel, chat_id=self.msg.chat_id)
        if _aware(question.expires_at) <= self.now:
            return reply.say(texts.ANSWER_EXPIRED)
        if not yes:
            return reply.say(texts.ANSWER_NO)
        unit = self.session.get(Unit, question.unit_id)
        if unit is None or self.plan is None:
            return reply.say(texts.ANSWER_EXPIRED)
        self.unit, self.on_behalf = unit, question.on_behalf
        own = {r.code: r for r in unit_records(self.session, plan_id=self.plan.id or 0,
                                               unit_id=unit.id or 0,
                                               codes=list(question.codes))}
        state = State(question.state)
        changes = [Change(own[c].assignment_id, state) for c in question.codes if c in own]
        done = record_changes(self.session, changes=changes, contact_id=self.contact.id,
                              channel=self.msg.channel, raw_text=question.raw_text,
                              batch=self.batch, on_behalf=self.on_behalf, at=self.now,
                              current={r.assignment_id: r for r in own.values()})
        return reply.say(texts.confirmation(unit.name, self._lines([r for r, _, _ in done]),
                                            self.on_behalf), buttons=UNDO_BUTTONS)

    # -- answers that write nothing --------------------------------------------------------

    def _question(self, codes: list[str], reply: Reply) -> Reply:
        plan_id = (self.plan.id if self.plan else 0) or 0
        if codes:
            records = unit_records(self.session, plan_id=plan_id, unit_id=self.unit.id or 0,
                                   codes=codes)
            if records:
                return reply.say(texts.status_answer([self._line(r) for r in records]))
        periods = [p for p in periods_of(self.session, plan_id=plan_id) if p.periodic]
        if periods:
            return reply.say(texts.deadlines([f"{p.name}: {day_short(p.due_on)}"
                                           for p in periods]))
        return reply.say(texts.off_topic(self._office_contact(), self._office_name()))

    def _office_name(self) -> str:
        return office_of(self.plan).short_name

    def _office_contact(self) -> str:
        office = next((u for u in units(self.session) if u.kind == UnitKind.OFFICE), None)
        if office is None:
            return ""
        staff = contacts_of_unit(self.session, unit_id=office.id or 0, role=Role.STAFF)
        return f"{staff[0].name}, {staff[0].phone}" if staff and staff[0].phone else ""

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
        if parsed.kind == Kind.REPORT_NOT:
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


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive UTC datetimes back; PostgreSQL aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _small_talk(text: str) -> str:
    words = fold(text)
    if re.search(r"\b(cam on|thank|thanks|tks|thx)\b", words):
        return texts.THANKS
    if re.search(r"\b(chao|hello|hi|alo)\b", words):
        return texts.GREETING
    return texts.NODDED


def done_on(said: str, today: date) -> date | None:
    """The day in "xong từ ngày 25/2" ("d/m" or "d/m/yyyy"); None when it is no day.
    Without a year it is this year's, or last year's when that is half a year ahead
    ("28/12" said on 5/1)."""
    parts = [int(x) for x in said.split("/")]
    try:
        if len(parts) > 2:
            return date(parts[2] + 2000 if parts[2] < 100 else parts[2], parts[1], parts[0])
        day = date(today.year, parts[1], parts[0])
        return day.replace(year=today.year - 1) if (day - today).days > 183 else day
    except ValueError:
        return None
