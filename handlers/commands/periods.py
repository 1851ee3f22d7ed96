"""/dongky quy 1: staff close a report period — schools that have not submitted no longer
owe it (in /baocao and in staff's digest)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers.context import Context
from handlers.dates import day_short
from handlers.messages import Reply
from handlers.reports.query import parse_query
from storage.periods import close_period, periods_of, submitted_pairs
from storage.plans import active_plan
from storage.units import units

USAGE_CLOSE = ("Cú pháp: /dongky TÊN_KỲ — ví dụ: /dongky quy 1, /dongky 6 thang, "
               "/dongky ca nam.")


def run(ctx: Context) -> Reply:
    return close(ctx.session, ctx.args, ctx.person.id, ctx.now, ctx.reply)


def close(session: Session, args: str, contact_id: int | None, now: datetime,
          reply: Reply) -> Reply:
    plan = active_plan(session)
    if plan is None or not args.strip():
        return reply.say(USAGE_CLOSE)
    periods = periods_of(session, plan_id=plan.id or 0)
    q = parse_query(args, [], periods)
    if q.period is None:
        return reply.say(USAGE_CLOSE)
    period = q.period
    close_period(session, period=period, at=now, contact_id=contact_id)
    done = {u for p, u in submitted_pairs(session, plan_id=plan.id or 0) if p == period.id}
    schools = [u for u in units(session) if u.kind.value != "office"]
    missing = [u for u in schools if u.id not in done]
    tail = (f"; {len(missing)} trường chưa nộp không còn được nhắc" if missing
            else "; tất cả các trường đã nộp")
    return reply.say(f"Đã kết thúc kỳ {period.name} (hạn {day_short(period.due_on)})"
                     f"{tail}.")
