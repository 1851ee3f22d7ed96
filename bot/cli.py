"""The `nhacviec` command line: one subcommand per job an admin or a developer runs."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.clock import now_local, parse_at
from bot.demo import run_demo
from bot.logs import redacted, setup_logging
from bot.run import CannotStart, serve
from bot.settings import Settings, problems
from bot.transports.console import ConsoleTransport
from handlers.commands.invite import invite_message
from handlers.commands.plan import plan_text
from handlers.commands.report import summary_for
from handlers.commands.unlink import unlink_people
from handlers.core import Core
from handlers.dates import day_short, day_weekday
from handlers.reminders.queue import dry_run, due_messages, plan_and_queue
from handlers.reminders.texts import ROLE_TITLES, unreachable_line
from handlers.reports.files import file_name, render, summary_json
from handlers.reports.snapshot import end_of_day
from handlers.reports.texts import summary_text
from handlers.web_links import person_url
from storage.backup import backup
from storage.contacts import contact_by_phone, contacts, contacts_of_unit, identities_of
from storage.db import make_engine, session_scope, upgrade
from storage.export import export_rows, to_csv, to_json
from storage.files.errors import ImportFileError
from storage.files.plan import default_plan
from storage.files.roster import DEFAULT_UNITS, read_units
from storage.imports import link_identity, save_plan, save_units
from storage.models import Contact, Role, UnitKind
from storage.planimport import import_plan, interpret
from storage.plans import active_plan
from storage.reach import unreachable_schools
from storage.units import unit_by_code
from storage.weblinks import revoke, rotate_key

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn
    return register


def open_db(settings: Settings) -> Engine:
    """The database, created or upgraded to the newest schema."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def say(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def fail(text: str) -> int:
    sys.stderr.write(f"Lỗi: {text}\n")
    return 1


@command("init")
def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_db(settings)
    with session_scope(engine) as session:
        if active_plan(session) is not None and not args.force:
            say("Cơ sở dữ liệu đã có kế hoạch; giữ nguyên (dùng --force để nạp lại mẫu 2024).")
            return 0
        if args.empty:
            say("Đã tạo cơ sở dữ liệu trống.")
            return 0
        units = save_units(session, read_units(DEFAULT_UNITS))
        plan = save_plan(session, default_plan())
    assert plan.plan is not None
    say(f"Đã nạp kế hoạch mẫu “{plan.plan.title}” ({plan.plan.number}): "
        f"{plan.tasks_added + plan.tasks_updated} nhiệm vụ, "
        f"{units.units_added + units.units_updated} đơn vị, {units.contacts} người liên hệ, "
        f"{units.assignments_added + plan.assignments_added} lượt giao việc.")
    return 0


@command("plan")
def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    with session_scope(open_db(settings)) as session:
        say(plan_text(session))
    return 0


@command("import-plan")
def cmd_import_plan(args: argparse.Namespace, settings: Settings) -> int:
    meta = {"year": args.year, "number": args.number, "title": args.title,
            "issuer": args.issuer}
    try:
        if args.preview:  # interprets the file against the roster; writes nothing
            with session_scope(open_db(settings)) as session:
                found = interpret(session, args.file, map_file=args.map, **meta)
                session.rollback()
            say(json.dumps(found.as_json(), ensure_ascii=False, indent=2)
                if args.format == "json" else found.summary())
            return 0
        with session_scope(open_db(settings)) as session:
            found, summary = import_plan(session, args.file, map_file=args.map, **meta)
    except ImportFileError as err:
        return fail(f"{err}. Chưa ghi gì vào cơ sở dữ liệu.")
    spec = found.spec
    say(f"Đã nạp kế hoạch “{spec.title}” ({spec.number}, năm {spec.year}): "
        f"thêm {summary.tasks_added}, cập nhật {summary.tasks_updated}, "
        f"bỏ {summary.tasks_removed} nhiệm vụ; thêm {summary.assignments_added} lượt giao việc.")
    for w in spec.warnings:
        say(f"Lưu ý: {w.where + ': ' if w.where else ''}{w.message}")
    return 0


@command("import-units")
def cmd_import_units(args: argparse.Namespace, settings: Settings) -> int:
    try:
        specs = read_units(args.file)
    except ImportFileError as err:
        return fail(f"{err}. Chưa ghi gì vào cơ sở dữ liệu.")
    try:
        with session_scope(open_db(settings)) as session:
            summary = save_units(session, specs, args.file)
    except ImportFileError as err:
        return fail(f"{err}. Chưa ghi gì vào cơ sở dữ liệu.")
    say(f"Đã nạp danh sách đơn vị: thêm {summary.units_added}, cập nhật "
        f"{summary.units_updated} đơn vị; {summary.contacts} người liên hệ; "
        f"thêm {summary.assignments_added} lượt giao việc.")
    return 0


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        say(text)


@command("export")
def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    today = (now_local(settings, args.at)).date()
    with session_scope(open_db(settings)) as session:
        rows = export_rows(session, today=today, tz=settings.tz)
    _write(to_json(rows) if args.format == "json" else to_csv(rows, bom=bool(args.output)),
           args.output)
    return 0


@command("contacts")
def cmd_contacts(args: argparse.Namespace, settings: Settings) -> int:
    with session_scope(open_db(settings)) as session:
        rows = [{"name": c.name, "role": c.role.value, "unit_code": u.code, "unit_name": u.name,
                 "phone": c.phone,
                 "channels": [i.channel for i in identities_of(session, contact_id=c.id or 0)]}
                for c, u in contacts(session)]
    if args.format == "json":
        say(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        linked = ", ".join(r["channels"]) or "chưa liên kết"
        say(f"{r['unit_code']:<14} {ROLE_TITLES[str(r['role'])]:<12} {r['name']:<24} "
            f"{r['phone']:<12} {linked}")
    return 0


def core_for(settings: Settings, engine: Engine, at: str | None = None) -> Core:
    """The conversation core, on the real clock or a fixed moment (--at)."""
    fixed = parse_at(at, settings) if at else None
    return Core(engine, settings.config(clock=(lambda: fixed) if fixed else None))


def find_contact(session: Session, who: str) -> Contact | None:
    """A contact by phone, or a unit's principal (the office: its first staff member)."""
    phone = "".join(ch for ch in who if ch.isdigit())
    if phone and len(phone) >= 9:
        return contact_by_phone(session, phone=phone)
    unit = unit_by_code(session, code=who)
    if unit is None:
        return None
    role = Role.STAFF if unit.kind == UnitKind.OFFICE else Role.PRINCIPAL
    people = contacts_of_unit(session, unit_id=unit.id or 0, role=role)
    return people[0] if people else None


@command("chat")
def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_db(settings)
    with session_scope(engine) as session:
        contact = find_contact(session, args.who)
        if contact is None:
            return fail(f"không tìm thấy người liên hệ “{args.who}” (số điện thoại hoặc mã "
                        "đơn vị, ví dụ TH-CATBI).")
        chat_id = f"console-{contact.id}"
        link_identity(session, contact_id=contact.id or 0, channel="console", chat_id=chat_id)
        name = contact.name
    core = core_for(settings, engine, args.at)
    console = ConsoleTransport()
    interactive = sys.stdin.isatty()
    if interactive:
        say(f"Trò chuyện với bot dưới tên {name}. Gõ tin nhắn rồi Enter; Ctrl-D để thoát.")
    lines = _prompted_lines() if interactive else sys.stdin
    console.converse(core, chat_id, lines, prompt="› " if interactive else "")
    return 0


def _prompted_lines() -> Iterator[str]:
    while True:
        try:
            yield input("› ")
        except EOFError:
            return


@command("invite")
def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_db(settings)
    core = core_for(settings, engine)
    now = now_local(settings)
    with session_scope(engine) as session:
        if args.all:
            targets = [c for c, _ in contacts(session) if c.role == Role.PRINCIPAL]
        else:
            found = find_contact(session, args.who or "")
            if found is None:
                return fail(f"không tìm thấy người liên hệ “{args.who or ''}”.")
            targets = [found]
        for contact in targets:
            say(invite_message(session, contact, now, core.config))
    return 0


@command("link")
def cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_db(settings)
    core = core_for(settings, engine)
    with session_scope(engine) as session:
        if args.rotate:
            rotate_key(session)
            say("Đã đổi khóa ký: mọi liên kết và phiên web cũ không còn dùng được.")
            return 0
        if not settings.web_url:
            return fail("chưa đặt WEB_URL (địa chỉ công khai của trang web, xem README).")
        contact = find_contact(session, args.who or "")
        if contact is None:
            return fail(f"không tìm thấy người liên hệ “{args.who or ''}” (số điện thoại "
                        "hoặc mã đơn vị).")
        if args.revoke:
            revoke(session, contact_id=contact.id or 0)
            say(f"Đã thu hồi mọi liên kết web của {contact.name}.")
            return 0
        url, expires = person_url(session, core.config, contact.id or 0,
                                  now_local(settings), args.days)
        say(f"{contact.name} — hiệu lực đến {day_short(expires.date())}:\n{url}")
    return 0


@command("remind")
def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    now = now_local(settings, args.at)
    engine = open_db(settings)
    with session_scope(engine) as session:
        if args.until:

            if not args.dry_run:
                return fail("--until chỉ dùng cùng --dry-run.")
            until = parse_at(args.until, settings).date()
            days = dry_run(session, now.date(), until, settings.config().rules)
            for day, count in days:
                if count:
                    say(f"{day_weekday(day)}: {count} tin nhắc")
            say(f"(Thử: {sum(c for _, c in days)} tin trong {len(days)} ngày làm việc; "
                "giả định không ai trả lời; chưa ghi gì.)")
            return 0
        if args.dry_run:
            messages, _ = due_messages(session, now, settings.config().rules,
                                       include_unlinked=True)
            missed = [(u.unit_code, u.reason) for u in unreachable_schools(session)]
            session.rollback()
            for m in messages:
                where = f"tới {m.channel}:{m.chat_id}" if m.channel else \
                    "KHÔNG GỬI ĐƯỢC — hiệu trưởng chưa liên kết tài khoản"
                say(f"── {where} ──\n{m.text}\n")
            sent = sum(1 for m in messages if m.channel)
            say(f"(Thử: {sent} tin sẽ được gửi; {len(messages) - sent} tin không gửi được vì "
                "người nhận chưa liên kết; chưa ghi gì.)")
            if missed:
                say(unreachable_line(missed))
            return 0
        added = plan_and_queue(session, now, settings.config().rules)
    say(f"Đã xếp {added} tin nhắc vào hàng đợi gửi.")
    return 0


@command("report")
def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    now = now_local(settings, args.at)
    with session_scope(open_db(settings)) as session:
        config = settings.config()
        # a day alone: the report as of the end of that day; a time: as of that moment
        timed = bool(args.at) and any(sep in args.at.strip() for sep in (" ", "T"))
        asked = summary_for(session, " ".join(args.filters),
                            now if timed else end_of_day(now.date(), config.tz), config,
                            args.period or "")
        if isinstance(asked, str):
            return fail(asked)
        summary, q = asked
        if args.format == "text":
            _write(summary_text(summary, q), args.output)
            return 0
        if args.format == "json" and not args.output:
            say(summary_json(summary))
            return 0
        default = Path(file_name(summary, args.format))
        path = render(summary, args.format, config,
                      Path(args.output) if args.output else default)
    say(f"Đã ghi {path}")
    return 0


@command("run")
def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    setup_logging(logging.DEBUG if os.environ.get("NHACVIEC_DEBUG") else logging.INFO)
    engine = open_db(settings)
    asyncio.run(serve(settings, engine, core_for(settings, engine)))
    return 0


@command("unlink")
def cmd_unlink(args: argparse.Namespace, settings: Settings) -> int:
    with session_scope(open_db(settings)) as session:
        found, words = unlink_people(session, args.who, now_local(settings))
    if not found:
        return fail(f"không tìm thấy người liên hệ “{args.who}” (số điện thoại hoặc mã đơn vị).")
    say(words)
    return 0


@command("backup")
def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_db(settings)
    try:
        path = backup(engine, Path(args.file))
    except (RuntimeError, OSError) as err:
        return fail(f"không sao lưu được: {err}")
    say(f"Đã sao lưu cơ sở dữ liệu vào {path}")
    return 0


@command("demo")
def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    return run_demo(Path(args.out), show_all=args.all)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nhacviec", description=(
        "Nhắc việc: nhắc hạn nhiệm vụ và tổng hợp báo cáo cho phòng giáo dục qua Telegram, "
        "Zalo."))
    sub = p.add_subparsers(dest="command", required=True, metavar="LỆNH")

    s = sub.add_parser("backup", help="sao lưu trực tuyến cơ sở dữ liệu (SQLite hoặc PostgreSQL)")
    s.add_argument("file")

    sub.add_parser("run", help="chạy dịch vụ: Telegram/Zalo (theo token), lịch nhắc, gửi tin")

    s = sub.add_parser("demo", help="mô phỏng cả năm kế hoạch mẫu 2024 trong chưa đầy một phút")
    s.add_argument("--out", default="out", help="thư mục ghi tệp báo cáo (mặc định ./out)")
    s.add_argument("--all", action="store_true", help="in tin nhắc của mọi trường")

    s = sub.add_parser("init", help="tạo cơ sở dữ liệu và nạp kế hoạch mẫu 2024 cùng các trường")
    s.add_argument("--empty", action="store_true", help="chỉ tạo cơ sở dữ liệu, không nạp mẫu")
    s.add_argument("--force", action="store_true", help="nạp lại mẫu dù đã có kế hoạch")

    sub.add_parser("plan", help="xem kế hoạch đang dùng: các mục, nhiệm vụ và hạn")

    s = sub.add_parser("import-plan", help="nạp kế hoạch từ tệp .yaml, .csv, .xlsx hoặc .docx")
    s.add_argument("file")
    s.add_argument("--year", type=int, help="năm của kế hoạch (nếu tệp không ghi)")
    s.add_argument("--number", help="số hiệu kế hoạch, ví dụ 06/KH-PGDĐT")
    s.add_argument("--title", help="tên kế hoạch")
    s.add_argument("--issuer", help="cơ quan ban hành")
    s.add_argument("--preview", action="store_true",
                   help="chỉ xem cách đọc tệp (nhiệm vụ, hạn, đơn vị), không ghi gì")
    s.add_argument("--format", choices=["text", "json"], default="text",
                   help="với --preview: chữ hoặc JSON")
    s.add_argument("--map", help="tệp YAML: cụm từ → mã đơn vị hoặc nhóm (được ghi nhớ)")

    s = sub.add_parser("import-units", help="nạp danh sách trường và người liên hệ (.csv, .xlsx)")
    s.add_argument("file")

    s = sub.add_parser("export", help="xuất tình trạng từng nhiệm vụ của từng đơn vị")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.add_argument("-o", "--output", help="ghi ra tệp thay vì màn hình")
    s.add_argument("--at", help="tính theo thời điểm này, ví dụ \"2024-03-20 07:30\"")

    s = sub.add_parser("chat", help="trò chuyện với bot trên dòng lệnh, dưới tên một người")
    s.add_argument("--as", dest="who", required=True,
                   help="số điện thoại, hoặc mã đơn vị (hiệu trưởng; PGD: chuyên viên)")
    s.add_argument("--at", help="đặt đồng hồ, ví dụ \"2024-02-20 09:00\"")

    s = sub.add_parser("invite", help="tạo mã mời liên kết Telegram/Zalo cho người liên hệ")
    s.add_argument("who", nargs="?", help="số điện thoại hoặc mã đơn vị")
    s.add_argument("--all", action="store_true", help="mã mời cho mọi hiệu trưởng")

    s = sub.add_parser("link", help="liên kết riêng (có hạn) mở trang web theo dõi cho một người")
    s.add_argument("who", nargs="?", help="số điện thoại hoặc mã đơn vị (PGD: chuyên viên)")
    s.add_argument("--days", type=int, help="số ngày hiệu lực (mặc định LINK_DAYS, 7)")
    s.add_argument("--revoke", action="store_true", help="thu hồi mọi liên kết của người này")
    s.add_argument("--rotate", action="store_true",
                   help="đổi khóa ký: thu hồi mọi liên kết và phiên web của mọi người")

    s = sub.add_parser("unlink", help="hủy liên kết Telegram/Zalo của một người hoặc một đơn vị")
    s.add_argument("who", help="số điện thoại hoặc mã đơn vị")

    s = sub.add_parser("remind", help="lập các tin nhắc đến hạn (xem trước với --dry-run)")
    s.add_argument("--at", help="thời điểm, ví dụ \"2024-03-20 07:30\" (mặc định: bây giờ)")
    s.add_argument("--dry-run", action="store_true", help="chỉ in ra, không ghi, không gửi")
    s.add_argument("--until", help="với --dry-run: tóm tắt từng ngày từ --at đến ngày này")

    s = sub.add_parser("report", help="báo cáo tổng hợp: chữ, Excel, Word, biểu đồ hoặc JSON")
    s.add_argument("filters", nargs="*", help="bộ lọc như /baocao: 1.2, muc 2, TH Cát Bi, THCS,"
                                              " quahan, chuatraloi")
    s.add_argument("--period", help="kỳ báo cáo: “quy 1”, “6 thang”, “quy 3”, “ca nam”")
    s.add_argument("--format", choices=["text", "xlsx", "docx", "png", "json"], default="text")
    s.add_argument("-o", "--output", help="tệp ghi ra")
    s.add_argument("--at", help="tính đến thời điểm này, ví dụ \"2024-06-24 17:00\"")

    s = sub.add_parser("contacts", help="danh sách người liên hệ và kênh đã liên kết")
    s.add_argument("--format", choices=["text", "json"], default="text")
    return p


def os_problem(err: OSError) -> str:
    """An operating-system failure, said in Vietnamese (with the file it concerns)."""
    reasons = {errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
               errno.EACCES: "không có quyền truy cập", errno.EPERM: "không có quyền truy cập",
               errno.ENOSPC: "ổ đĩa đã đầy", errno.EISDIR: "đây là một thư mục, không phải tệp",
               errno.ENOTDIR: "đường dẫn có một phần không phải thư mục",
               errno.EROFS: "ổ đĩa chỉ cho phép đọc",
               errno.ECONNREFUSED: "không kết nối được (máy chủ từ chối)"}
    reason = reasons.get(err.errno or 0, f"lỗi hệ thống số {err.errno}")
    return f"{reason}: {err.filename}" if err.filename else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Every failure is a Vietnamese message and an exit code; no traceback, no secret."""
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as err:
        sys.stderr.write(f"Lỗi: cấu hình chưa đúng (biến môi trường hoặc tệp .env):\n"
                         f"{problems(err)}\n")
        return 2
    with redacted(settings.secrets()):
        try:
            return COMMANDS[args.command](args, settings)
        except KeyboardInterrupt:
            return 130
        except CannotStart as err:
            return fail(str(err))
        except ImportFileError as err:
            return fail(f"{err}. Chưa ghi gì vào cơ sở dữ liệu.")
        except OperationalError as err:
            return fail("không dùng được cơ sở dữ liệu (DATABASE_URL): "
                        f"{type(err.orig).__name__ if err.orig else 'lỗi kết nối'}. "
                        "Vui lòng kiểm tra địa chỉ, mật khẩu, và máy chủ cơ sở dữ liệu.")
        except OSError as err:
            return fail(os_problem(err))
        except Exception as err:  # a bug: the person gets a sentence, the details stay here
            if os.environ.get("NHACVIEC_DEBUG"):
                traceback.print_exc()
            return fail(f"đã xảy ra lỗi không mong muốn ({type(err).__name__}); chưa chắc "
                        "thao tác đã xong. Đặt NHACVIEC_DEBUG=1 rồi chạy lại để xem chi tiết.")


if __name__ == "__main__":
    raise SystemExit(main())
