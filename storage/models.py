"""SQLModel tables: the plan, its tasks, units, people, records and history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class UnitKind(StrEnum):
    OFFICE = "office"  # Phòng GD&ĐT itself
    MN = "MN"  # mầm non
    TH = "TH"  # tiểu học
    THCS = "THCS"  # trung học cơ sở
    PT = "PT"  # phổ thông có nhiều cấp học
    THPT = "THPT"  # trung học phổ thông


class Role(StrEnum):
    PRINCIPAL = "principal"
    STAFF = "staff"
    ADMIN = "admin"


class State(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


class Verdict(StrEnum):
    DONE_ON_TIME = "done_on_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn
    PENDING = "pending"  # chưa đến hạn (đang thực hiện)
    OVERDUE = "overdue"  # quá hạn


class DueKind(StrEnum):
    BY_DATE = "by_date"  # one finish date
    ONGOING = "ongoing"  # all year; progress asked at every periodic report
    MONTHLY = "monthly"  # recurring every month
    QUARTERLY = "quarterly"  # recurring every quarter
    ON_REQUEST = "on_request"  # when asked ("theo yêu cầu"): no fixed deadline, never reminded


def utcnow() -> datetime:
    return datetime.now(UTC)


class Plan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("number", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str
    issuer_short: str = ""  # "Phòng GD&ĐT", "Sở GD&ĐT": how texts name the office
    superior: str = ""
    number: str
    title: str
    year: int
    issued_on: date | None = None
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    targets: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    imported_at: datetime = Field(default_factory=utcnow)


class Area(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int
    title: str


class Task(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    code: str
    position: int = 0
    content: str
    units_text: str  # the lead units as written
    partners_text: str = ""  # the partner units as written
    lead: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    partners: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    product: str = ""
    deadline_text: str
    due_kind: DueKind = DueKind.BY_DATE
    due_start: date | None = None
    due_on: date
    notes: str = ""


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    kind: UnitKind
    ward: str = ""
    active: bool = True
    groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class UnitAlias(SQLModel, table=True):
    """A phrase plans use for units (kept from roster aliases and `--map` files): its
    folded form, as written, and the unit codes and "@group" labels it means."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    phrase: str
    targets: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Partner(SQLModel, table=True):
    """A unit a task names as partner ("đơn vị phối hợp"): recorded and shown, never
    reminded or counted (the lead units hold the assignments)."""

    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    role: Role
    unit_id: int = Field(foreign_key="unit.id", index=True)
    phone: str = Field(default="", index=True)


class Identity(SQLModel, table=True):
    """One chat identity of a contact on one channel (Telegram, Zalo, console)."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    channel: str
    chat_id: str
    linked_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """A task given to a unit, with that unit's current completion record."""

    __table_args__ = (UniqueConstraint("task_id", "unit_id"),
                      Index("ix_assignment_progress", "unit_id", "task_id", "state",
                            "completed_on", "updated_at"))  # a report's per-school scan

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")  # indexed first in ix_assignment_progress
    state: State = Field(default=State.NOT_STARTED, index=True)
    percent: int = 0
    note: str = ""
    evidence: str = ""
    completed_at: datetime | None = None
    completed_on: date | None = Field(default=None, index=True)  # the office's local day
    updated_at: datetime | None = None
    updated_by: int | None = Field(default=None, foreign_key="contact.id")


class History(SQLModel, table=True):
    """Append-only: one row for every change of a record or a report submission."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    batch: str = Field(index=True)  # one incoming message = one batch; undo reverts a batch
    action: str  # "record", "undo", "report", "import"
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    on_behalf: bool = False
    channel: str = ""
    raw_text: str = ""
    old: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    new: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ReportPeriod(SQLModel, table=True):
    """A report every school owes: periodic (from the plan's calendar) or ad hoc."""

    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str  # Q1, H1, Q3, Y, or A1, A2 … for ad-hoc requests
    name: str
    due_on: date
    covers_from: date
    covers_to: date
    periodic: bool = True
    request: str = ""  # what an ad-hoc request asks for
    created_by: int | None = Field(default=None, foreign_key="contact.id")


class PeriodClosure(SQLModel, table=True):
    """Staff closed a report period: the schools that have not submitted no longer owe it."""

    period_id: int = Field(foreign_key="reportperiod.id", primary_key=True)
    closed_at: datetime
    contact_id: int | None = Field(default=None, foreign_key="contact.id")


class Submission(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="reportperiod.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    submitted_at: datetime = Field(default_factory=utcnow)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    channel: str = ""


class Invite(SQLModel, table=True):
    """A one-time code that links a chat identity to a contact."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class LinkAttempt(SQLModel, table=True):
    """A wrong invite code typed by an unlinked chat: wrong guesses are rate-limited."""

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    chat_id: str = Field(index=True)
    at: datetime = Field(default_factory=utcnow)


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Outbox(SQLModel, table=True):
    """A message to push (reminder digest, notice): written before it is sent, once."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # kind + unit/contact + item + day: never queued twice
    kind: str
    contact_id: int = Field(foreign_key="contact.id", index=True)
    channel: str
    chat_id: str
    text: str
    buttons: list[list[list[str]]] = Field(default_factory=list,
                                           sa_column=Column(JSON, nullable=False))
    items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    send_after: datetime = Field(default_factory=utcnow, index=True)
    state: OutboxState = Field(default=OutboxState.PENDING, index=True)
    attempts: int = 0
    last_error: str = ""
    sent_at: datetime | None = None
    message_id: str = Field(default="", index=True)
    read_at: datetime | None = None


class Pause(SQLModel, table=True):
    """No reminders from starts_on to ends_on: for one contact, or everyone (a break)."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    starts_on: date
    ends_on: date
    reason: str = ""


class Inspection(SQLModel, table=True):
    """The office inspected a school (plan target: at least 30% of schools a year)."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    on: date
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    note: str = ""


class PendingQuestion(SQLModel, table=True):
    """A reply the bot was not sure of, asked back with one tap; answered (and deleted) or
    left to expire. Stored so that the answer works after a restart or on another process."""

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    chat_id: str = Field(index=True)
    contact_id: int = Field(foreign_key="contact.id")
    unit_id: int = Field(foreign_key="unit.id")
    codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = State.DONE.value  # what "yes" records
    on_behalf: bool = False
    raw_text: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class PendingImport(SQLModel, table=True):
    """A plan file sent in the chat and previewed, waiting for "Nhập" or "Huỷ": where the
    file was saved and how to read it again. Stored so that the answer works after a
    restart or on another process; nothing of the plan is written before "Nhập"."""

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    chat_id: str = Field(index=True)  # the person who sent it (their identity on the channel)
    contact_id: int = Field(foreign_key="contact.id")
    path: str  # the saved file
    file_name: str  # as sent
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class Meta(SQLModel, table=True):
    """Small service state that must survive restarts (e.g. the last day planned)."""

    key: str = Field(primary_key=True)
    value: str


class InboxState(StrEnum):
    PENDING = "pending"  # stored, not yet handled
    HANDLED = "handled"  # handled and committed; its answers are stored, not yet all sent
    ANSWERED = "answered"  # answers sent
    FAILED = "failed"  # given up (a bug that kept failing): the person got the apology


class Inbox(SQLModel, table=True):
    """Every incoming update, stored before the platform is told it arrived: nothing a
    person wrote is lost, and an update delivered twice is handled once."""

    __table_args__ = (UniqueConstraint("channel", "update_id"),
                      Index("ix_inbox_state_due", "state", "due_at"))  # what a claim reads

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    update_id: str  # the channel's id of the update (Telegram update_id, Zalo message id)
    message: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(default_factory=utcnow)
    state: InboxState = Field(default=InboxState.PENDING, index=True)
    due_at: datetime = Field(default_factory=utcnow, index=True)  # next try / lease end
    attempts: int = 0
    answers: list[dict[str, Any]] = Field(default_factory=list,
                                          sa_column=Column(JSON, nullable=False))
    last_error: str = ""
