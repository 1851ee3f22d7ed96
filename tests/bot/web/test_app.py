"""The web view over HTTP: who may open what, the matrix and its filters, the update form
(the chat's rules, CSRF), evidence, downloads, the Mini App login and signed file links."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiohttp import FormData, web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.web import build_app
from bot.web.app import MAX_UPLOAD
from bot.web.words import DOWNLOADS_ALL_VERDICTS, UPLOAD_TOO_BIG
from handlers.web_links import file_url
from storage.contacts import contacts_of_unit
from storage.db import session_scope
from storage.imports import link_identity
from storage.invites import unlink
from storage.models import Assignment, History, State, Task, Unit
from storage.units import unit_by_code
from storage.weblinks import revoke, rotate_key
from tests.bot.web.conftest import BOT_TOKEN, NOW, Web, init_data_for

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def record(web_env: Web, unit: str, code: str) -> Assignment:
    with session_scope(web_env.engine) as session:
        found = session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == unit, Task.code == code)).one()
        session.expunge(found)
        return found


def principal_id(web_env: Web, unit: str) -> int:
    with session_scope(web_env.engine) as session:
        u = unit_by_code(session, code=unit)
        assert u is not None
        return contacts_of_unit(session, unit_id=u.id or 0)[0].id or 0


async def test_healthz(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"ok": True}


async def test_staff_see_the_matrix_and_filter_it(client: TestClient, login) -> None:  # noqa: ANN001
    assert await login("PGD") == "/bang"
    page = await (await client.get("/bang")).text()
    assert "TH-CATBI" in page and "THCS-CATBI" in page and "MN-CATBI" in page
    assert ">1.1</th>" in page and "Quá hạn chưa hoàn thành" in page  # 1.1 was due 29/2: overdue
    assert "Trễ" not in page  # the word the legend contradicted
    only_th = await (await client.get("/bang", params={"kind": "TH"})).text()
    units = set(re.findall(r'data-unit="([^"]+)"', only_th))
    assert units and all(u.startswith("TH-") for u in units)
    area = await (await client.get("/bang", params={"area": "2"})).text()
    assert ">2.1</th>" in area and ">1.1</th>" not in area


async def test_principal_sees_only_their_school(client: TestClient, login) -> None:  # noqa: ANN001
    assert await login("TH-CATBI") == "/truong/TH-CATBI"
    assert (await client.get("/truong/TH-DANGHAI")).status == 403
    assert (await client.get("/bang")).status == 403
    assert (await client.get("/nop-bao-cao")).status == 403
    assert (await client.get("/tai/xlsx")).status == 403


async def test_strangers_and_bad_links_learn_nothing(client: TestClient, web_env: Web) -> None:
    assert (await client.get("/bang")).status == 401
    assert (await client.get("/truong/TH-CATBI")).status == 401
    good = web_env.link("TH-CATBI")
    tampered = good.replace("/l/p.", "/l/p.1", 1)
    for path in (tampered, good[:-2] + "xx", "/l/nonsense",
                 web_env.link("TH-CATBI", now=NOW - timedelta(days=8))):
        response = await client.get(path)
        assert response.status == 403
        body = await response.text()
        assert "TH-CATBI" not in body and "Cát Bi" not in body
    assert (await client.get("/bang")).status == 401  # no session was opened


async def test_revoking_unlinking_and_rotating_end_links_and_sessions(
        client: TestClient, web_env: Web, login) -> None:  # noqa: ANN001
    link = web_env.link("TH-CATBI")
    contact_id = principal_id(web_env, "TH-CATBI")
    with session_scope(web_env.engine) as session:
        revoke(session, contact_id=contact_id)
    assert (await client.get(link)).status == 403

    await login("TH-CATBI")
    with session_scope(web_env.engine) as session:
        link_identity(session, contact_id=contact_id, channel="zalo", chat_id="z-1")
    with session_scope(web_env.engine) as session:
        assert unlink(session, channel="zalo", chat_id="z-1")
    assert (await client.get("/truong/TH-CATBI")).status == 401  # the open session too

    await login("PGD")
    with session_scope(web_env.engine) as session:
        rotate_key(session)
    assert (await client.get("/bang")).status == 401


async def test_principal_updates_a_task_through_the_form(client: TestClient, web_env: Web,
                                                         login) -> None:  # noqa: ANN001
    await login("TH-CATBI")
    page = await (await client.get("/truong/TH-CATBI")).text()
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    form = {"task": "1.2", "state": "progress", "percent": "60", "note": ""}
    refused = await client.post("/truong/TH-CATBI/cap-nhat", data=form)
    assert refused.status == 403
    assert record(web_env, "TH-CATBI", "1.2").state == State.NOT_STARTED

    moved = await client.post("/truong/TH-CATBI/cap-nhat", data={**form, "csrf": csrf},
                              allow_redirects=False)
    assert moved.status == 303  # Post/Redirect/Get: a reload cannot send the form again
    assert moved.headers["Location"] == "/truong/TH-CATBI?task=1.2#answer"
    answer = await client.get(moved.headers["Location"])
    text = await answer.text()
    assert answer.status == 200 and "Đã ghi nhận" in text
    assert 'value="1.2" selected' in text
    reloaded = await (await client.get(moved.headers["Location"])).text()
    assert "Đã ghi nhận" not in reloaded  # the answer is shown once
    with session_scope(web_env.engine) as session:
        assert len(session.exec(select(History).where(
            History.raw_text == "1.2 đang làm 60%")).all()) == 1
    saved = record(web_env, "TH-CATBI", "1.2")
    assert (saved.state, saved.percent) == (State.IN_PROGRESS, 60)
    with session_scope(web_env.engine) as session:
        last = session.exec(select(History).order_by(History.id.desc())).first()  # type: ignore[union-attr]
        assert last is not None and last.channel == "web" and last.raw_text == "1.2 đang làm 60%"
    assert "1.2 đang làm 60%" in text  # the task's history on the page

    undo = re.search(r'name="data" value="([^"]+)"', text).group(1)  # type: ignore[union-attr]
    undone = await client.post("/truong/TH-CATBI/nut", data={"csrf": csrf, "data": undo})
    assert undone.history and undone.history[0].status == 303  # followed to the page
    assert "Đã hoàn tác" in await undone.text()
    assert record(web_env, "TH-CATBI", "1.2").state == State.NOT_STARTED


async def test_principal_cannot_post_for_another_school(client: TestClient, web_env: Web,
                                                        login) -> None:  # noqa: ANN001
    await login("TH-CATBI")
    page = await (await client.get("/truong/TH-CATBI")).text()
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    response = await client.post("/truong/TH-DANGHAI/cap-nhat",
                                 data={"csrf": csrf, "task": "1.2", "state": "done"})
    assert response.status == 403
    assert record(web_env, "TH-DANGHAI", "1.2").state == State.NOT_STARTED


async def test_staff_update_on_a_schools_behalf(client: TestClient, web_env: Web,
                                                login) -> None:  # noqa: ANN001
    await login("PGD")
    page = await (await client.get("/truong/TH-CATBI")).text()
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    answer = await client.post("/truong/TH-CATBI/cap-nhat",
                               data={"csrf": csrf, "task": "2.1", "state": "done"})
    assert "Đã ghi nhận cho Trường Tiểu học Cát Bi" in await answer.text()
    assert record(web_env, "TH-CATBI", "2.1").state == State.DONE


async def test_evidence_is_uploaded_shown_and_guarded(client: TestClient, web_env: Web,
                                                      login) -> None:  # noqa: ANN001
    await login("TH-CATBI")
    page = await (await client.get("/truong/TH-CATBI")).text()
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    form = FormData({"csrf": csrf, "task": "1.2", "state": "done"})
    form.add_field("file", b"\x89PNG fake image", filename="bien-ban.png",
                   content_type="image/png")
    text = await (await client.post("/truong/TH-CATBI/cap-nhat", data=form)).text()
    evidence = record(web_env, "TH-CATBI", "1.2").evidence
    assert evidence.startswith("web:") and evidence.endswith(".png")
    path = f"/minh-chung/{evidence[4:]}"
    assert f'src="{path}"' in text
    assert await (await client.get(path)).read() == b"\x89PNG fake image"

    await login("TH-DANGHAI")
    assert (await client.get(path)).status == 403

    page = await (await client.get("/truong/TH-DANGHAI")).text()
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    bad = FormData({"csrf": csrf, "task": "1.2", "state": "done"})
    bad.add_field("file", b"MZ", filename="virus.exe")
    response = await client.post("/truong/TH-DANGHAI/cap-nhat", data=bad)
    assert response.status == 400
    assert record(web_env, "TH-DANGHAI", "1.2").state == State.NOT_STARTED

    huge = FormData({"csrf": csrf, "task": "1.2", "state": "done"})
    huge.add_field("file", b"\0" * (MAX_UPLOAD + 1), filename="anh.png",
                   content_type="image/png")
    response = await client.post("/truong/TH-DANGHAI/cap-nhat", data=huge)
    assert response.status == 400 and UPLOAD_TOO_BIG in await response.text()
    assert record(web_env, "TH-DANGHAI", "1.2").state == State.NOT_STARTED


async def test_a_principal_may_see_their_schools_telegram_photos_only(
        web_env: Web, login_at: Callable[[TestClient, str], Awaitable[None]]) -> None:
    photo = b"\xff\xd8 a JPEG from the chat"
    asked: list[str] = []

    async def get_file(request: web.Request) -> web.Response:
        asked.append(request.query["file_id"])
        return web.json_response({"ok": True, "result": {
            "file_id": request.query["file_id"], "file_path": "photos/file_7.jpg"}})

    async def download(request: web.Request) -> web.Response:
        return web.Response(body=photo)

    api = web.Application()
    api.router.add_get(f"/bot{BOT_TOKEN}/getFile", get_file)
    api.router.add_get(f"/file/bot{BOT_TOKEN}/photos/file_7.jpg", download)
    with session_scope(web_env.engine) as session:
        found = session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == "TH-CATBI", Task.code == "1.2")).one()
        found.evidence = "telegram:AgACphoto1"
    async with TestServer(api) as fake:
        app = build_app(web_env.engine, web_env.core, web_env.config, BOT_TOKEN,
                        str(fake.make_url("/bot")))
        async with TestClient(TestServer(app)) as client:
            assert (await client.get("/anh-telegram/AgACphoto1")).status == 401
            await login_at(client, "TH-CATBI")
            page = await (await client.get("/truong/TH-CATBI")).text()
            assert 'src="/anh-telegram/AgACphoto1"' in page
            shown = await client.get("/anh-telegram/AgACphoto1")
            assert shown.status == 200 and await shown.read() == photo
            assert shown.content_type == "image/jpeg"
            assert (await client.get("/anh-telegram/AgACother")).status == 403
            await login_at(client, "TH-DANGHAI")
            assert (await client.get("/anh-telegram/AgACphoto1")).status == 403
            await login_at(client, "PGD")
            assert (await client.get("/anh-telegram/AgACphoto1")).status == 200
    assert asked == ["AgACphoto1", "AgACphoto1"]  # refusals never reach Telegram


async def test_downloads_for_a_filter(client: TestClient, login) -> None:  # noqa: ANN001
    await login("PGD")
    for fmt, magic in (("xlsx", b"PK"), ("docx", b"PK"), ("png", b"\x89PNG")):
        response = await client.get(f"/tai/{fmt}", params={"kind": "TH", "period": "Q1"})
        assert response.status == 200
        assert (await response.read()).startswith(magic)
    assert (await client.get("/tai/exe")).status == 404


async def test_report_board(client: TestClient, login) -> None:  # noqa: ANN001
    await login("PGD")
    page = await (await client.get("/nop-bao-cao", params={"period": "Q1"})).text()
    assert "Báo cáo" in page and "0/25" in page and page.count("Chưa nộp") == 25


async def test_downloads_follow_the_filters_and_the_page_says_they_hold_every_verdict(
        client: TestClient, login) -> None:  # noqa: ANN001
    await login("PGD")
    page = await (await client.get("/bang", params={"kind": "TH"})).text()
    assert 'href="/tai/xlsx?kind=TH"' in page and DOWNLOADS_ALL_VERDICTS not in page
    page = await (await client.get("/bang", params={"kind": "TH", "verdict": "overdue"})).text()
    assert 'href="/tai/xlsx?kind=TH&amp;verdict=overdue"' in page
    assert DOWNLOADS_ALL_VERDICTS in page


async def test_telegram_mini_app_login(client: TestClient, web_env: Web) -> None:
    with session_scope(web_env.engine) as session:
        link_identity(session, contact_id=principal_id(web_env, "TH-CATBI"),
                      channel="telegram", chat_id="777")
    ok = await client.post("/dang-nhap/telegram", json={"initData": init_data_for(777)})
    assert ok.status == 200 and (await ok.json())["next"] == "/"
    assert (await client.get("/")).url.path == "/truong/TH-CATBI"

    client.session.cookie_jar.clear()
    forged = init_data_for(777, token="123456:another-bot")
    stale = init_data_for(777, auth_date=NOW - timedelta(hours=25))
    for data in (forged, stale, init_data_for(777).replace("777", "778"), ""):
        response = await client.post("/dang-nhap/telegram", json={"initData": data})
        assert response.status == 401
    stranger = await client.post("/dang-nhap/telegram", json={"initData": init_data_for(5)})
    assert stranger.status == 403
    assert (await client.get("/truong/TH-CATBI")).status == 401


async def test_signed_file_links(client: TestClient, web_env: Web) -> None:
    web_env.config.files_dir.mkdir(parents=True)
    (web_env.config.files_dir / "bao-cao-20240320.xlsx").write_bytes(b"PK report")
    with session_scope(web_env.engine) as session:
        url = file_url(session, web_env.config, "bao-cao-20240320.xlsx", NOW)
        old = file_url(session, web_env.config, "bao-cao-20240320.xlsx", NOW, days=-1)
    path = url.removeprefix(web_env.config.web_url)
    assert await (await client.get(path)).read() == b"PK report"
    assert (await client.get(path[:-1] + ("A" if path[-1] != "A" else "B"))).status == 403
    assert (await client.get(old.removeprefix(web_env.config.web_url))).status == 403
