"""/baocao [bộ lọc] [xlsx|docx|png|json] (/bc, /tonghop): the plan's progress, or one slice
of it, as text or a file — the same report `nhacviec report` prints."""

from __future__ import annotations

from handlers import texts as common
from handlers.commands import texts
from handlers.context import Context
from handlers.dates import day_long
from handlers.messages import Reply
from handlers.reports.files import render
from handlers.reports.query import parse_query
from handlers.reports.snapshot import snapshot
from handlers.reports.texts import summary_text
from storage.queries import active_plan, periods_of, units

FILES = ("xlsx", "docx", "png", "json")


def run(ctx: Context) -> Reply:
    session = ctx.session
    plan = active_plan(session)
    if plan is None:
        return ctx.reply.say(common.NO_PLAN)
    q = parse_query(ctx.args, units(session), periods_of(session, plan_id=plan.id or 0))
    if q.ambiguous:
        return ctx.reply.say(texts.report_ambiguous([(u.code, u.name) for u in q.ambiguous]))
    if q.unknown:
        return ctx.reply.say(texts.report_unknown(q.unknown))
    summary = snapshot(session, q, ctx.now, plan)
    if q.format in FILES:
        path = render(summary, q.format, ctx.config)
        return ctx.reply.say(texts.report_file(q.format, plan.number, day_long(summary.today)),
                             file=path)
    return ctx.reply.say(summary_text(summary, q))
