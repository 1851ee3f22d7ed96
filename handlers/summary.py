"""`/baocao` in chat: the plan at a glance — per area, per school, overdue, silent schools,
and the periodic report currently owed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from handlers.config import Config
from handlers.dates import day_long
from handlers.messages import Reply
from handlers.tally import Counts, count, verdict_of
from storage.models import Area, Plan, ReportPeriod, Unit, UnitKind, Verdict
from storage.queries import Status, active_plan, areas_of, periods_of, statuses, submissions_of


@dataclass
class Summary:
    plan: Plan
    today: date
    overall: Counts
    by_area: list[tuple[Area, Counts]]
    by_unit: list[tuple[Unit, Counts, list[str]]]  # with the codes overdue and not done
    unanswered: list[Unit]
    period: ReportPeriod | None = None
    submitted: list[Unit] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)


def current_period(periods: list[ReportPeriod], today: date) -> ReportPeriod | None:
    """The report owed now: the first one not yet past due, else the latest."""
    upcoming = [p for p in periods if p.due_on >= today]
    return upcoming[0] if upcoming else (periods[-1] if periods else None)


def build_summary(session: Session, plan: Plan, today: date, config: Config,
                  rows: list[Status] | None = None) -> Summary:
    rows = statuses(session, plan_id=plan.id or 0) if rows is None else rows
    areas = areas_of(session, plan_id=plan.id or 0)
    by_area = [(a, count((s for s in rows if s.task.area_id == a.id), today, config.tz))
               for a in areas]
    units: dict[int, Unit] = {}
    per_unit: dict[int, list[Status]] = {}
    for s in rows:
        units[s.unit.id or 0] = s.unit
        per_unit.setdefault(s.unit.id or 0, []).append(s)
    by_unit = []
    for unit_id, items in per_unit.items():
        overdue = [s.task.code for s in items
                   if verdict_of(s, today, config.tz) == Verdict.OVERDUE]
        by_unit.append((units[unit_id], count(items, today, config.tz), overdue))
    by_unit.sort(key=lambda r: r[0].code)
    unanswered = [units[u] for u, items in per_unit.items()
                  if units[u].kind != UnitKind.OFFICE
                  and all(s.assignment.updated_at is None for s in items)]
    summary = Summary(plan, today, count(rows, today, config.tz), by_area, by_unit,
                      sorted(unanswered, key=lambda u: u.code))
    period = current_period(periods_of(session, plan_id=plan.id or 0), today)
    if period is not None:
        done = {s.unit_id for s in submissions_of(session, period_id=period.id or 0)}
        schools = [u for u in units.values() if u.kind != UnitKind.OFFICE]
        summary.period = period
        summary.submitted = sorted((u for u in schools if u.id in done), key=lambda u: u.code)
        summary.missing = sorted((u for u in schools if u.id not in done), key=lambda u: u.code)
    return summary


def counts_line(c: Counts) -> str:
    return (f"đã hoàn thành {c.done}/{c.total} ({c.percent}%): đúng hạn {c.on_time}, "
            f"quá hạn {c.late}; chưa đến hạn {c.pending}; quá hạn chưa xong {c.overdue}")


def summary_text(s: Summary) -> str:
    lines = [f"TỔNG HỢP TIẾN ĐỘ KẾ HOẠCH {s.plan.number}",
             f"Tính đến {day_long(s.today)}.", "",
             f"Toàn kế hoạch: {counts_line(s.overall)}.", "", "Theo mục:"]
    for area, c in s.by_area:
        if c.total:
            lines.append(f"{area.number}. {area.title} — {c.done}/{c.total} ({c.percent}%)"
                         + (f"; quá hạn chưa xong {c.overdue}" if c.overdue else ""))
    lines += ["", "Theo đơn vị:"]
    for unit, c, overdue in s.by_unit:
        late = f"; quá hạn: {', '.join(overdue)}" if overdue else ""
        lines.append(f"• {unit.code} {unit.name} — {c.done}/{c.total} ({c.percent}%){late}")
    late_units = [u for u, _, o in s.by_unit if o]
    lines.append("")
    if late_units:
        lines.append(f"Quá hạn chưa xong: {len(late_units)} đơn vị, "
                     f"{sum(len(o) for _, _, o in s.by_unit)} lượt việc.")
    else:
        lines.append("Không có việc nào quá hạn chưa xong.")
    if s.unanswered:
        lines.append(f"Chưa trả lời ({len(s.unanswered)} trường): "
                     + ", ".join(u.code for u in s.unanswered) + ".")
    else:
        lines.append("Tất cả các trường đều đã phản hồi.")
    if s.period is not None:
        total = len(s.submitted) + len(s.missing)
        lines.append(f"{s.period.name} (hạn {day_long(s.period.due_on)}): "
                     f"{len(s.submitted)}/{total} trường đã nộp"
                     + (f"; chưa nộp: {', '.join(u.code for u in s.missing)}." if s.missing
                        else "."))
    return "\n".join(lines)


def summary_reply(session: Session, args: str, now: datetime, config: Config,
                  reply: Reply) -> Reply:
    plan = active_plan(session)
    if plan is None:
        from handlers.texts import NO_PLAN

        return reply.say(NO_PLAN)
    return reply.say(summary_text(build_summary(session, plan, now.date(), config)))
