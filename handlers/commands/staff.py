"""Staff's commands that push: remind now, ad-hoc report requests, notices, breaks."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta

from sqlmodel import Session

from handlers.config import Config
from handlers.dates import day_short, day_weekday
from handlers.messages import Reply
from handlers.reminders import texts as reminder_texts
from handlers.reminders.planner import Line, Recipient
from storage.models import Contact, Role, UnitKind
from storage.outbox import NewMessage, queue, rows_with_key_prefix
from storage.pauses import add_pause
from storage.periods import add_adhoc_period
from storage.queries import active_plan, contact_names, reachable_contacts, unit_by_code
from storage.queries import units as units_of
from storage.textnorm import fold

KINDS = {"mn": UnitKind.MN, "th": UnitKind.TH, "thcs": UnitKind.THCS, "pt": UnitKind.PT}
DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$")

USAGE_REMIND = "Cú pháp: /nhacnho MÃ_TRƯỜNG (ví dụ /nhacnho TH-CATBI) hoặc /nhacnho 1.2"
USAGE_REQUEST = ("Cú pháp: /yeucau NGÀY_HẠN Tên báo cáo — ví dụ: "
                 "/yeucau 15/4 Báo cáo công tác phòng cháy chữa cháy")
USAGE_NOTICE = ("Cú pháp: /thongbao [MN|TH|THCS|PT] nội dung — không ghi loại trường thì gửi "
                "tất cả các trường.")
USAGE_BREAK = "Cú pháp: /nghi TỪ_NGÀY ĐẾN_NGÀY lý do — ví dụ: /nghi 1/7 31/8 Nghỉ hè"


def _date(text: str, today: date) -> date | None:
    found = DATE.match(text)
    if not found:
        return None
    d, m, y = found.groups()
    try:
        return date(int(y) if y else today.year, int(m), int(d))
    except ValueError:
        return None


def _principals(session: Session, kinds: set[UnitKind] | None = None,
                unit_ids: set[int] | None = None) -> list[Recipient]:
    seen: set[int] = set()
    out = []
    for contact, unit, identity in reachable_contacts(session):
        if contact.id in seen or contact.role != Role.PRINCIPAL:
            continue
        if kinds is not None and unit.kind not in kinds:
            continue
        if unit_ids is not None and unit.id not in unit_ids:
            continue
        seen.add(contact.id or 0)
        out.append(Recipient(contact.id or 0, unit.id or 0, contact.name, contact.role.value,
                             identity.channel, identity.chat_id))
    return out


def remind_now(session: Session, args: str, now: datetime, config: Config,
               reply: Reply) -> Reply:
    """/nhacnho TH-CATBI or /nhacnho 1.2: a digest right now, whatever the calendar says."""
    from handlers.reminders.planner import Digest
    from handlers.reminders.queue import digest_message, load_snapshot

    plan = active_plan(session)
    key = args.split()[0] if args else ""
    if plan is None or not key:
        return reply.say(USAGE_REMIND)
    snap = load_snapshot(session, plan, now.date())
    today = now.date()
    unit = unit_by_code(session, code=key)
    if unit is not None:
        items = [i for i in snap.items if i.unit_id == unit.id]
    elif re.fullmatch(r"\d{1,2}\.\d{1,2}", key):
        items = [i for i in snap.items if i.code == key]
    else:
        return reply.say(USAGE_REMIND)
    wanted = {i.unit_id for i in items}
    batch = uuid.uuid4().hex[:12]
    messages = []
    for r in _principals(session, unit_ids=wanted):
        d = Digest(r, today, r.unit_id)
        for i in (i for i in items if i.unit_id == r.unit_id):
            line = Line(i, (i.due - today).days)
            if i.kind == "report":
                d.reports.append(line)
            elif i.kind == "ongoing":
                d.progress.append(line)
            elif line.days_left < 0:
                d.overdue.append(line)
            else:
                d.soon.append(line)
        messages.append(digest_message(d, snap, plan, f"manual:{batch}:{r.contact_id}"))
    added = queue(session, messages, now=now)
    if not added:
        return reply.say("Không có trường nào cần nhắc (đã hoàn thành, hoặc chưa liên kết "
                         "tài khoản).")
    return reply.say(f"Đã xếp {added} tin nhắc gửi ngay.")


def request_report(session: Session, args: str, contact: Contact, now: datetime,
                   reply: Reply) -> Reply:
    """/yeucau 15/4 Báo cáo …: an ad-hoc report every school owes by a date."""
    plan = active_plan(session)
    parts = args.split(maxsplit=1)
    due = _date(parts[0], now.date()) if parts else None
    if plan is None or due is None or len(parts) < 2 or due < now.date():
        return reply.say(USAGE_REQUEST)
    name = parts[1].strip()
    if not fold(name).startswith("bao cao"):
        name = f"Báo cáo {name[:1].lower()}{name[1:]}"
    period = add_adhoc_period(session, plan_id=plan.id or 0, name=name, due_on=due,
                              request=args, contact_id=contact.id, today=now.date())
    text = reminder_texts.adhoc_request(name, day_weekday(due), contact.name)
    messages = [NewMessage(key=f"adhoc:{period.id}:{r.contact_id}", kind="notice",
                           contact_id=r.contact_id, channel=r.channel, chat_id=r.chat_id,
                           text=text, items=[period.code]) for r in _principals(session)]
    added = queue(session, messages, now=now)
    return reply.say(f"Đã tạo yêu cầu “{name}” (mã {period.code}), hạn {day_short(due)}; "
                     f"đã xếp gửi tới {added} trường. Hệ thống sẽ nhắc các trường chưa nộp.")


def notice(session: Session, args: str, contact: Contact, now: datetime,
           reply: Reply) -> Reply:
    """/thongbao [MN|TH|THCS|PT] text — or alone, who has acknowledged the last one."""
    if not args:
        return notice_status(session, reply)
    first, _, rest = args.partition(" ")
    kinds = None
    if fold(first) in KINDS and rest.strip():
        kinds, args = {KINDS[fold(first)]}, rest.strip()
    elif fold(first) in ("tatca", "tat") and rest.strip():
        args = rest.removeprefix("cả").strip() if fold(first) == "tat" else rest.strip()
    batch = now.strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:6]
    text = reminder_texts.notice_text(args, contact.name)
    messages = [NewMessage(key=f"notice:{batch}:{r.contact_id}", kind="notice",
                           contact_id=r.contact_id, channel=r.channel, chat_id=r.chat_id,
                           text=text) for r in _principals(session, kinds)]
    added = queue(session, messages, now=now)
    return reply.say(f"Đã xếp gửi thông báo tới {added} trường. Gõ /thongbao để xem ai đã "
                     "xác nhận.")


def notice_status(session: Session, reply: Reply) -> Reply:
    rows = rows_with_key_prefix(session, "notice:")
    if not rows:
        return reply.say("Chưa có thông báo nào được gửi.")
    batch = rows[-1].key.split(":")[1]
    last = [r for r in rows if r.key.split(":")[1] == batch]
    names = contact_names(session)
    sent = sum(1 for r in last if r.sent_at)
    acked = [r for r in last if r.read_at]
    missing = [names.get(r.contact_id, "?") for r in last if not r.read_at]
    head = last[0].text.split("\n")[1][:80]
    text = (f"Thông báo “{head}”: đã gửi {sent}/{len(last)}, đã xác nhận {len(acked)}.")
    if missing:
        text += " Chưa xác nhận: " + ", ".join(missing) + "."
    return reply.say(text)


def add_break(session: Session, args: str, now: datetime, reply: Reply) -> Reply:
    """/nghi 1/7 31/8 Nghỉ hè — no reminders to anyone in between (escalation continues)."""
    parts = args.split(maxsplit=2)
    if len(parts) < 2:
        return reply.say(USAGE_BREAK)
    start, end = _date(parts[0], now.date()), _date(parts[1], now.date())
    if start is None or end is None or end < start or end - start > timedelta(days=366):
        return reply.say(USAGE_BREAK)
    add_pause(session, contact_id=None, starts_on=start, ends_on=end,
              reason=parts[2] if len(parts) > 2 else "")
    return reply.say(f"Đã đặt thời gian nghỉ từ {day_short(start)} đến {day_short(end)}: "
                     "không gửi nhắc việc tới các trường trong thời gian này.")


USAGE_INSPECT = "Cú pháp: /kiemtra MÃ_TRƯỜNG [ngày] [ghi chú] — ví dụ: /kiemtra TH-CATBI 12/3"


def inspect(session: Session, args: str, contact: Contact, now: datetime,
            reply: Reply) -> Reply:
    """/kiemtra TH-CATBI 12/3 ghi chú — the office inspected a school (plan target ≥ 30%)."""
    from storage.inspections import add_inspection, inspected_units

    plan = active_plan(session)
    parts = args.split(maxsplit=2)
    unit = unit_by_code(session, code=parts[0]) if parts else None
    if plan is None or unit is None or unit.kind == UnitKind.OFFICE:
        return reply.say(USAGE_INSPECT)
    on = _date(parts[1], now.date()) if len(parts) > 1 else None
    note = " ".join(parts[2:] if on else parts[1:])
    on = on or now.date()
    add_inspection(session, plan_id=plan.id or 0, unit_id=unit.id or 0, on=on,
                   contact_id=contact.id, note=note)
    schools = [u for u in units_of(session) if u.kind != UnitKind.OFFICE]
    done = inspected_units(session, plan_id=plan.id or 0, until=date.max) & {u.id for u in schools}
    share = round(100 * len(done) / len(schools)) if schools else 0
    return reply.say(f"Đã ghi nhận kiểm tra {unit.name} ngày {day_short(on)}. Đã kiểm tra "
                     f"{len(done)}/{len(schools)} trường ({share}%; chỉ tiêu tối thiểu 30%).")
