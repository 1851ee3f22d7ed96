"""The web view: the staff matrix, the report submission board, downloads, a school's
page with its update form — behind a Telegram Mini App login, signed links and a signed
session cookie. Pages are rendered on the server (Jinja2); database work and rendering run
in worker threads, never on the event loop."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import mimetypes
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from aiohttp import BodyPartReader, web
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine
from sqlmodel import Session, col, select

import bot.web.words as words
from bot import server
from bot.web.auth import csrf_ok, csrf_token, init_data_user
from handlers.config import Config
from handlers.core import Core
from handlers.dates import day_long, day_short
from handlers.messages import Action, Button, Incoming, Outgoing
from handlers.reports.files import render as render_file
from handlers.reports.query import Query
from handlers.reports.summary import build_summary
from handlers.reports.web import build_board, build_matrix, build_school, parse_filters, update_text
from handlers.web_links import (
    SESSION_HOURS,
    file_of,
    key,
    person_of,
    person_token,
    sign,
    verify,
)
from storage.contacts import contact_by_identity
from storage.db import session_scope
from storage.models import Assignment, Contact, Role, Unit, UnitKind
from storage.periods import periods_of
from storage.plans import active_plan
from storage.units import unit_by_code
from storage.weblinks import WEB, ensure_web_identity

log = logging.getLogger(__name__)
COOKIE = "nv_phien"
MAX_UPLOAD = 10 * 1024 * 1024  # one evidence file
MAX_FORM = MAX_UPLOAD + 64 * 1024  # the whole update form with its file
FLASH = "nv_ketqua"  # the answers of a form, shown once after its redirect
UPLOAD_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".docx", ".xlsx", ".doc",
                ".xls"}
FILE_TYPES = ("xlsx", "docx", "png")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Viewer:
    contact_id: int
    name: str
    role: Role
    unit_id: int
    unit_code: str
    session_token: str
    csrf: str

    @property
    def staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def may_see(self, unit: Unit) -> bool:
        return self.staff or unit.id == self.unit_id


class Form(dict[str, str]):
    """The request's parameters and posted fields, with any uploaded files."""

    def __init__(self, fields: dict[str, str],
                 files: dict[str, tuple[str, bytes]] | None = None) -> None:
        super().__init__(fields)
        self.files = files or {}


class Refused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class WebView:
    def __init__(self, engine: Engine, core: Core, config: Config, telegram_token: str = "",
                 telegram_api_url: str = "https://api.telegram.org/bot") -> None:
        self.engine, self.core, self.config = engine, core, config
        self.telegram_token = telegram_token
        self.telegram_api_url = telegram_api_url
        self.secure = config.web_url.startswith("https://")
        self.env = Environment(loader=PackageLoader("bot.web", "templates"),
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)
        self.env.globals.update(w=words, day_short=day_short, day_long=day_long)
        self.evidence_dir = config.files_dir / "minh-chung"

    # -- plumbing ------------------------------------------------------------------------

    def render(self, name: str, status: int = 200, **context: Any) -> web.Response:
        html = self.env.get_template(name).render(**context)
        return web.Response(text=html, status=status, content_type="text/html",
                            charset="utf-8", headers=_NO_STORE)

    def refused(self, status: int) -> web.Response:
        """The same page for every refusal: nothing about why."""
        return self.render("refused.html", status=status, viewer=None)

    def viewer(self, session: Session, token: str) -> Viewer | None:
        contact = person_of(session, self.config, token, self.config.now(), kind="s")
        if contact is None:
            return None
        unit = session.get(Unit, contact.unit_id)
        assert unit is not None  # person_of checked it
        return Viewer(contact.id or 0, contact.name, contact.role, unit.id or 0, unit.code,
                      token, csrf_token(key(session, self.config), token))

    def start_session(self, session: Session, contact: Contact) -> str:
        expires = self.config.now() + timedelta(hours=SESSION_HOURS)
        return person_token(session, self.config, contact.id or 0, expires, kind="s")

    def with_cookie(self, response: web.StreamResponse, token: str) -> web.StreamResponse:
        self._cookie(response, COOKIE, token, SESSION_HOURS * 3600)
        return response

    def _cookie(self, response: web.StreamResponse, name: str, value: str, max_age: int,
                path: str = "/") -> None:
        response.set_cookie(name, value, max_age=max_age, httponly=True, secure=self.secure,
                            samesite="None" if self.secure else "Lax", path=path)

    def after_post(self, session: Session, viewer: Viewer, unit: Unit, task: str,
                   answers: list[Outgoing]) -> web.Response:
        """Post/Redirect/Get: the answers travel, signed, in a short-lived cookie to the
        school page, which shows them once; reloading that page sends nothing again."""
        where = f"/truong/{quote(unit.code)}"
        moved = web.Response(status=303, headers={
            "Location": where + (f"?task={quote(task)}" if task else "") + "#answer",
            **_NO_STORE})
        self._cookie(moved, FLASH, flash_token(key(session, self.config), viewer.session_token,
                                               answers), 300, where)
        return moved

    def page(self, fn: Callable[[Session, Viewer, web.Request, Form], web.Response],
             staff_only: bool = False, form: bool = False) -> Handler:
        """A handler that needs a valid session (and, for forms, the CSRF token); the
        database work runs in a worker thread in one transaction."""
        async def handle(request: web.Request) -> web.StreamResponse:
            token = request.cookies.get(COOKIE, "")
            fields: dict[str, str] = {}
            files: dict[str, tuple[str, bytes]] = {}
            if form:
                fields, files = await _read_form(request)
            data = Form({**{k: v for k, v in request.query.items()}, **fields}, files)

            def work() -> web.Response:
                with session_scope(self.engine) as session:
                    viewer = self.viewer(session, token) if token else None
                    if viewer is None:
                        return self.refused(401)
                    if staff_only and not viewer.staff:
                        return self.refused(403)
                    if form and not csrf_ok(key(session, self.config), token,
                                            data.get("csrf", "")):
                        return self.refused(403)
                    try:
                        return fn(session, viewer, request, data)
                    except Refused as err:
                        return self.refused(err.status)
            return await asyncio.to_thread(work)
        return handle

    # -- entry: Mini App, signed link ------------------------------------------------------

    async def miniapp(self, request: web.Request) -> web.Response:
        return self.render("miniapp.html", viewer=None)

    async def telegram_login(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False}, status=401)
        init_data = str(body.get("initData", "")) if isinstance(body, dict) else ""
        user = init_data_user(init_data, self.telegram_token, self.config.now().timestamp())
        if user is None:
            return web.json_response({"ok": False}, status=401)

        def work() -> str | None:
            with session_scope(self.engine) as session:
                contact = contact_by_identity(session, channel="telegram",
                                              chat_id=str(user["id"]))
                return self.start_session(session, contact) if contact else None
        token = await asyncio.to_thread(work)
        if token is None:
            return web.json_response({"ok": False}, status=403)
        return self.with_cookie(web.json_response({"ok": True, "next": "/"}), token)

    async def link(self, request: web.Request) -> web.StreamResponse:
        def work() -> str | None:
            with session_scope(self.engine) as session:
                contact = person_of(session, self.config, request.match_info["token"],
                                    self.config.now())
                return self.start_session(session, contact) if contact else None
        token = await asyncio.to_thread(work)
        if token is None:
            return self.refused(403)
        moved = web.HTTPSeeOther("/")
        self.with_cookie(moved, token)
        raise moved

    async def report_file(self, request: web.Request) -> web.StreamResponse:
        """A report file by its signed link (how Zalo users get files)."""
        def work() -> str | None:
            with session_scope(self.engine) as session:
                return file_of(session, self.config, request.match_info["token"],
                               self.config.now())
        name = await asyncio.to_thread(work)
        path = self.config.files_dir / name if name else None
        if path is None or not path.is_file():
            return self.refused(403)
        return _file_response(path)

    # -- pages ---------------------------------------------------------------------------

    def home(self, session: Session, viewer: Viewer, request: web.Request,
             data: Form) -> web.Response:
        raise web.HTTPSeeOther("/bang" if viewer.staff else f"/truong/{viewer.unit_code}")

    def matrix(self, session: Session, viewer: Viewer, request: web.Request,
               data: Form) -> web.Response:
        plan = active_plan(session)
        if plan is None:
            return self.render("message.html", viewer=viewer, text=words.NO_PLAN)
        m = build_matrix(session, plan, self.config.now().date(), parse_filters(data))
        return self.render("matrix.html", viewer=viewer, m=m, kinds=list(UnitKind))

    def board(self, session: Session, viewer: Viewer, request: web.Request,
              data: Form) -> web.Response:
        plan = active_plan(session)
        if plan is None:
            return self.render("message.html", viewer=viewer, text=words.NO_PLAN)
        f = parse_filters(data)
        b = build_board(session, plan, self.config.now().date(), self.config.tz,
                        data.get("period"), f.kind, f.page)
        return self.render("board.html", viewer=viewer, b=b, tz=self.config.tz,
                           kinds=[k for k in UnitKind if k != UnitKind.OFFICE])

    def download(self, session: Session, viewer: Viewer, request: web.Request,
                 data: Form) -> web.Response:
        fmt = request.match_info["fmt"]
        plan = active_plan(session)
        if fmt not in FILE_TYPES or plan is None:
            raise Refused(404)
        f = parse_filters(data)
        period = next((p for p in periods_of(session, plan_id=plan.id or 0)
                       if p.code == f.period), None)
        units = list(session.exec(select(Unit).where(Unit.ward == f.ward, Unit.active == True)  # noqa: E712
                                  )) if f.ward else []
        if f.ward and not units:
            raise Refused(404)
        # the files hold every verdict (the matrix page says so when one is filtered)
        q = Query(area=f.area, units=units, kind=f.kind, period=period, format=fmt)
        summary = build_summary(session, plan, self.config.now().date(), self.config, q)
        self.config.files_dir.mkdir(parents=True, exist_ok=True)
        path = render_file(summary, fmt, self.config,
                           self.config.files_dir / f"tai-{uuid.uuid4().hex}.{fmt}")
        try:
            body = path.read_bytes()
        finally:
            path.unlink(missing_ok=True)
        name = f"{'bieu-do' if fmt == 'png' else 'bao-cao'}-{summary.today:%Y%m%d}.{fmt}"
        return web.Response(body=body, content_type=mimetypes.guess_type(name)[0]
                            or "application/octet-stream", headers={
                                **_NO_STORE,
                                "Content-Disposition": f'attachment; filename="{name}"'})

    def school(self, session: Session, viewer: Viewer, request: web.Request,
               data: Form, answers: list[Outgoing] | None = None,
               status: int = 200) -> web.Response:
        unit = self._unit(session, viewer, request)
        plan = active_plan(session)
        if plan is None:
            return self.render("message.html", viewer=viewer, text=words.NO_PLAN)
        page = build_school(session, plan, unit, self.config.now().date(), self.config.tz)
        flash = request.cookies.get(FLASH, "") if request.method == "GET" else ""
        if flash:  # the answers of the form just sent (Post/Redirect/Get)
            answers = flash_answers(key(session, self.config), viewer.session_token, flash)
        response = self.render("school.html", status=status, viewer=viewer, s=page,
                               answers=answers or [], chosen=data.get("task", ""))
        if flash:
            response.del_cookie(FLASH, path=f"/truong/{quote(unit.code)}")
        return response

    def _unit(self, session: Session, viewer: Viewer, request: web.Request) -> Unit:
        unit = unit_by_code(session, code=request.match_info["code"])
        if unit is None or not unit.active or not viewer.may_see(unit):
            raise Refused(403)
        return unit

    def update(self, session: Session, viewer: Viewer, request: web.Request,
               data: Form) -> web.Response:
        """The form, said to the core as chat words: the chat's rules apply."""
        unit = self._unit(session, viewer, request)
        if data.get("_too_big"):
            return self.school(session, viewer, request, data,
                               [Outgoing(words.UPLOAD_TOO_BIG)], 400)
        body = update_text(data.get("task", ""), data.get("state", ""),
                           data.get("percent", ""), data.get("note", ""))
        evidence = ""
        upload = data.files.get("file")
        if upload is not None:
            name, content = upload
            suffix = Path(name).suffix.lower()
            if suffix not in UPLOAD_TYPES:
                return self.school(session, viewer, request, data,
                                   [Outgoing(words.UPLOAD_KIND)], 400)
            stored = f"{uuid.uuid4().hex}{suffix}"
            self.evidence_dir.mkdir(parents=True, exist_ok=True)
            (self.evidence_dir / stored).write_bytes(content)
            evidence = f"web:{stored}"
        if not body and not evidence:
            return self.school(session, viewer, request, data, [Outgoing(words.FORM_EMPTY)],
                               400)
        if unit.id != viewer.unit_id:  # staff, on the school's behalf
            body = f"{unit.code} {body}".strip()
        answers = self._say(session, viewer, Incoming(WEB, "", body, file=evidence))
        return self.after_post(session, viewer, unit, data.get("task", ""), answers)

    def press(self, session: Session, viewer: Viewer, request: web.Request,
              data: Form) -> web.Response:
        """A button of an answer (undo) pressed on the page."""
        unit = self._unit(session, viewer, request)
        action = Action.decode(data.get("data", "")[:64])
        if action is None:
            raise Refused(400)
        answers = self._say(session, viewer, Incoming(WEB, "", action=action))
        return self.after_post(session, viewer, unit, "", answers)

    def _say(self, session: Session, viewer: Viewer, msg: Incoming) -> list[Outgoing]:
        chat_id = ensure_web_identity(session, contact_id=viewer.contact_id)
        session.commit()  # the core works in its own transaction and must see it
        return self.core.handle(Incoming(WEB, chat_id, msg.text, file=msg.file,
                                         display_name=viewer.name, action=msg.action))

    def evidence(self, session: Session, viewer: Viewer, request: web.Request,
                 data: Form) -> web.Response:
        name = request.match_info["name"]
        path = self.evidence_dir / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise Refused(404)
        owners = set(session.exec(select(Assignment.unit_id).where(
            col(Assignment.evidence).contains(f"web:{name}"))))
        if not viewer.staff and viewer.unit_id not in owners:
            raise Refused(403)
        return _file_response(path)  # type: ignore[return-value]

    async def telegram_photo(self, request: web.Request) -> web.StreamResponse:
        """Evidence sent in a Telegram chat, fetched through the Bot API for the page."""
        file_id = request.match_info["file_id"]
        allowed = await self.page(self._may_see_telegram_file)(request)
        if allowed.status != 204 or not self.telegram_token:
            return allowed if allowed.status != 204 else self.refused(404)
        base = f"{self.telegram_api_url}{self.telegram_token}"
        files = self.telegram_api_url[:-3] + "file/bot" if self.telegram_api_url.endswith(
            "/bot") else self.telegram_api_url
        try:
            async with httpx.AsyncClient(timeout=20) as http:
                info = (await http.get(f"{base}/getFile", params={"file_id": file_id})).json()
                path = info["result"]["file_path"]
                got = await http.get(f"{files}{self.telegram_token}/{path}")
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            return self.refused(404)
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return web.Response(body=got.content, content_type=kind, headers=_NO_STORE)

    def _may_see_telegram_file(self, session: Session, viewer: Viewer, request: web.Request,
                               data: Form) -> web.Response:
        owners = set(session.exec(select(Assignment.unit_id).where(
            col(Assignment.evidence).contains(f"telegram:{request.match_info['file_id']}"))))
        if not owners or (not viewer.staff and viewer.unit_id not in owners):
            raise Refused(403)
        return web.Response(status=204)

    # -- assembly ------------------------------------------------------------------------

    def routes(self) -> list[web.AbstractRouteDef]:
        static = Path(__file__).parent / "static"
        return [
            web.get("/tg", self.miniapp),
            web.post("/dang-nhap/telegram", self.telegram_login),
            web.get("/l/{token}", self.link),
            web.get("/tep/{token}", self.report_file),
            web.get("/", self.page(self.home)),
            web.get("/bang", self.page(self.matrix, staff_only=True)),
            web.get("/nop-bao-cao", self.page(self.board, staff_only=True)),
            web.get("/tai/{fmt}", self.page(self.download, staff_only=True)),
            web.get("/truong/{code}", self.page(self.school)),
            web.post("/truong/{code}/cap-nhat", self.page(self.update, form=True)),
            web.post("/truong/{code}/nut", self.page(self.press, form=True)),
            web.get("/minh-chung/{name}", self.page(self.evidence)),
            web.get("/anh-telegram/{file_id}", self.telegram_photo),
            web.static("/static", static),
        ]


def flash_token(secret: bytes, session_token: str, answers: list[Outgoing]) -> str:
    """The answers, compressed and signed for this session only (a cookie of at most a few
    kilobytes: long answers are cut)."""
    data = [[a.text[:1500], [[[b.label, b.data] for b in row if b.data] for row in a.buttons]]
            for a in answers[:4]]
    packed = base64.urlsafe_b64encode(zlib.compress(json.dumps(data).encode())).decode()
    if len(packed) > 3000:
        packed = base64.urlsafe_b64encode(zlib.compress(json.dumps(
            [[answers[0].text[:500], []]] if answers else []).encode())).decode()
    return sign(secret, "k", _bound(session_token), packed.rstrip("="))


def flash_answers(secret: bytes, session_token: str, token: str) -> list[Outgoing]:
    """The answers a flash cookie carries; none when it was not signed for this session."""
    fields = verify(secret, token) if len(token) < 4000 else None
    if fields is None or len(fields) != 3 or fields[:2] != ["k", _bound(session_token)]:
        return []
    try:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(
            fields[2] + "=" * (-len(fields[2]) % 4))))
        return [Outgoing(str(text), buttons=tuple(tuple(Button(str(label), str(value))
                                                        for label, value in row)
                                                  for row in rows))
                for text, rows in data]
    except (ValueError, TypeError, zlib.error):
        return []


def _bound(session_token: str) -> str:
    return hashlib.sha256(session_token.encode()).hexdigest()[:16]


_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
             "Referrer-Policy": "no-referrer"}


def _file_response(path: Path) -> web.FileResponse:
    return web.FileResponse(path, headers={
        **_NO_STORE, "Content-Disposition": f'attachment; filename="{path.name}"'})


async def _read_form(request: web.Request) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Fields and uploaded files of a POSTed form. A multipart body is read in pieces and
    stops past MAX_UPLOAD (then the field "_too_big" is set; the fields read so far, the
    CSRF token first of them, are kept); any other body is capped by the server."""
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if not request.content_type.startswith("multipart/"):
        posted = await request.post()
        return {k: str(v) for k, v in posted.items() if isinstance(v, str)}, files
    if request.content_length is not None and request.content_length > MAX_FORM:
        return {"_too_big": "1"}, files
    total = 0
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or not part.name:
            continue
        content = bytearray()
        while chunk := await part.read_chunk():
            content += chunk
            total += len(chunk)
            if total > MAX_FORM or len(content) > MAX_UPLOAD:
                return {**fields, "_too_big": "1"}, {}
        if part.filename:
            if content:
                files[part.name] = (part.filename, bytes(content))
        else:
            fields[part.name] = content.decode("utf-8", "replace")[:2000]
    return fields, files


def web_routes(engine: Engine, core: Core, config: Config, telegram_token: str = "",
               telegram_api_url: str = "https://api.telegram.org/bot"
               ) -> list[web.AbstractRouteDef]:
    """The web view's routes, to mount on the service's one web server (bot/server.py)."""
    return WebView(engine, core, config, telegram_token, telegram_api_url).routes()


def build_app(engine: Engine, core: Core, config: Config, telegram_token: str = "",
              telegram_api_url: str = "https://api.telegram.org/bot") -> web.Application:
    """The web view alone on an application like the service's (same body cap, /healthz):
    for tests and benchmarks."""
    return server.build_app([web_routes(engine, core, config, telegram_token,
                                        telegram_api_url)])
