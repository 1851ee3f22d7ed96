"""/kiemtra TH-CATBI 12/3 ghi chú: the office inspected a school (plan target ≥ 30%)."""

from __future__ import annotations

from datetime import date

from handlers.commands import texts
from handlers.context import Context
from handlers.dates import DAY_TYPED, day_short, parse_day
from handlers.messages import Reply
from storage.inspections import add_inspection, inspected_units
from storage.models import UnitKind
from storage.plans import active_plan
from storage.units import unit_by_code, units


def run(ctx: Context) -> Reply:
    session = ctx.session
    plan = active_plan(session)
    parts = ctx.args.split(maxsplit=2)
    unit = unit_by_code(session, code=parts[0]) if parts else None
    if plan is None or unit is None or unit.kind == UnitKind.OFFICE:
        return ctx.reply.say(texts.USAGE_INSPECT)
    on = parse_day(parts[1], ctx.now.date()) if len(parts) > 1 else None
    if on is None and len(parts) > 1 and DAY_TYPED.match(parts[1]):  # 31/2: no such day
        return ctx.reply.say(texts.no_such_day(parts[1]))
    note = " ".join(parts[2:] if on else parts[1:])
    on = on or ctx.now.date()
    add_inspection(session, plan_id=plan.id or 0, unit_id=unit.id or 0, on=on,
                   contact_id=ctx.person.id, note=note)
    schools = {u.id for u in units(session) if u.kind != UnitKind.OFFICE}
    done = inspected_units(session, plan_id=plan.id or 0, until=date.max) & schools
    return ctx.reply.say(texts.inspected(unit.name, day_short(on), len(done), len(schools)))
