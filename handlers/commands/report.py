"""/baocao [bộ lọc] [xlsx|docx|png|json] (/bc, /tonghop): the plan's progress, or one slice
of it, as text or a file — the same report `nhacviec report` prints."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers import texts as common
from handlers.commands import texts
from handlers.config import Config
from handlers.context import Context
from handlers.dates import day_long
from handlers.messages import Reply
from handlers.reports.files import render
from handlers.reports.query import Query, parse_query
from handlers.reports.snapshot import Snapshot, snapshot
from handlers.reports.texts import summary_text
from storage.periods import periods_of
from storage.plans import active_plan
from storage.units import units

FILES = ("xlsx", "docx", "png", "json")


def run(ctx: Context) -> Reply:
    asked = summary_for(ctx.session, ctx.args, ctx.now, ctx.config)
    if isinstance(asked, str):
        return ctx.reply.say(asked)
    summary, q = asked
    if q.format in FILES:
        path = render(summary, q.format, ctx.config)
        return ctx.reply.say(texts.report_file(q.format, summary.plan.number,
                                               day_long(summary.today)), file=path)
    return ctx.reply.say(summary_text(summary, q))


def summary_for(session: Session, words: str, at: datetime, config: Config, period: str = ""
                ) -> tuple[Snapshot, Query] | str:
    """The report `/baocao WORDS` asks for, as of the moment *at* — `nhacviec report` adds
    *period*, a period's name (or its code) — or the sentence saying why there is none."""
    plan = active_plan(session)
    if plan is None:
        return common.NO_PLAN
    periods = periods_of(session, plan_id=plan.id or 0)
    by_code = next((p for p in periods if p.code == period.upper()), None) if period else None
    if period and by_code is None:
        words = f"{words} {period}"
    q = parse_query(words, units(session), periods)
    if by_code is not None:
        q.period = by_code
    elif period and q.period is None:
        return texts.unknown_period(period, [p.name for p in periods if p.periodic])
    if q.ambiguous:
        return texts.report_ambiguous([(u.code, u.name) for u in q.ambiguous])
    if q.unknown:
        return texts.report_unknown(q.unknown)
    return snapshot(session, q, at, plan), q
