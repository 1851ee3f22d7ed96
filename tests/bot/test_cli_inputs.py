"""Every CLI failure is a Vietnamese sentence and an exit code, never a traceback; odd
files are refused whole; revoking links; nothing half-imported; no password in argv."""

import zipfile
from pathlib import Path

import pytest
from sqlmodel import func, select

import storage.imports
from bot.cli import main
from storage.backup import backup
from storage.db import make_engine, session_scope
from storage.models import Contact, Identity, Unit
from tests.storage.files.planfiles import write_xlsx


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def counts(url: str) -> tuple[int, int, int]:
    with session_scope(make_engine(url)) as session:
        return tuple(session.exec(select(func.count()).select_from(t)).one()  # type: ignore[return-value]
                     for t in (Unit, Contact, Identity))


def roster(path: Path, *rows: str) -> Path:
    path.write_text("unit_code,unit_name,unit_kind,ward,contact_name,role,phone,telegram\n"
                    + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_odd_files_get_a_vietnamese_refusal(capsys, tmp_path: Path, database: str) -> None:
    huge = roster(tmp_path / "huge.csv", "TH-X,Trường X,TH,," + "A" * 200_000 + ",principal,")
    good = write_xlsx(tmp_path / "ok.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<worksheet><sheetData><row><c" if "worksheets/" in
                         item.filename else data)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a ['x','x','x','x','x','x','x','x','x']\n"
                    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                    "plan: {title: [*c, *c]}\nareas: []\n", encoding="utf-8")
    types = tmp_path / "types.yaml"
    types.write_text("plan: {title: Kế hoạch, year: 2024}\nareas:\n"
                     "  - {number: 1, title: [1, 2], tasks: 5}\n", encoding="utf-8")
    before = counts(database)
    for command, path, words in (("import-units", huge, "ô dài quá"),
                                 ("import-plan", broken, "hỏng"),
                                 ("import-plan", bomb, "YAML"),
                                 ("import-plan", types, "Tệp types.yaml")):
        code, _, err = run(capsys, command, str(path))
        assert code == 1 and err.startswith("Lỗi: ") and words in err, (path.name, err)
    assert counts(database) == before


def test_an_output_path_that_cannot_be_written(capsys) -> None:
    code, _, err = run(capsys, "report", "--format", "xlsx", "-o", "/nonexistent/x.xlsx")
    assert code == 1 and "không tìm thấy tệp hoặc thư mục: /nonexistent/x.xlsx" in err


def test_nul_bytes_never_reach_the_database(capsys, tmp_path: Path, database: str) -> None:
    path = roster(tmp_path / "nul.csv", "TH-N,Trường\x00 N,TH,,Cô\x00 Lan,principal,0911000111")
    assert run(capsys, "import-units", str(path))[0] == 0
    with session_scope(make_engine(database)) as session:
        assert session.exec(select(Unit.name).where(Unit.code == "TH-N")).one() == "Trường N"


def test_unlink_by_phone_and_by_unit(capsys, tmp_path: Path, database: str) -> None:
    path = roster(tmp_path / "linked.csv",
                  "TH-L,Trường L,TH,,Cô Lan,principal,0911000222,555001",
                  "TH-L,Trường L,TH,,Thầy Nam,staff,0911000333,555002")
    assert run(capsys, "import-units", str(path))[0] == 0
    code, out, _ = run(capsys, "unlink", "0911000222")
    assert code == 0 and "Đã hủy 1 liên kết của Cô Lan" in out
    code, out, _ = run(capsys, "unlink", "TH-L")
    assert code == 0 and "Đã hủy 1 liên kết" in out
    code, _, err = run(capsys, "unlink", "TH-NOPE")
    assert code == 1 and "không tìm thấy người liên hệ" in err
    with session_scope(make_engine(database)) as session:
        assert session.exec(select(Identity).where(Identity.chat_id.in_(  # type: ignore[attr-defined]
            ["555001", "555002"]))).all() == []


def test_a_replaced_principal_loses_their_link_at_once(capsys, tmp_path: Path,
                                                       database: str) -> None:
    first = roster(tmp_path / "v1.csv", "TH-R,Trường R,TH,,Cô Cũ,principal,0911000444,777001")
    assert run(capsys, "import-units", str(first))[0] == 0
    second = roster(tmp_path / "v2.csv", "TH-R,Trường R,TH,,Thầy Mới,principal,0911000555,")
    assert run(capsys, "import-units", str(second))[0] == 0
    with session_scope(make_engine(database)) as session:
        assert session.exec(select(Identity).where(Identity.chat_id == "777001")).first() is None


def test_an_import_failing_in_the_middle_of_its_save_writes_nothing(
        capsys, tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = roster(tmp_path / "mid.csv", "TH-M,Trường M,TH,,Cô M,principal,0911000666,888001")
    before = counts(database)

    def crash(*_args: object) -> tuple[int, int]:  # after units, contacts and links
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.imports, "apply_fan_out", crash)
    code, _, err = run(capsys, "import-units", str(path))
    assert code == 1 and "ổ đĩa đã đầy" in err
    assert counts(database) == before  # units, contacts and links all rolled back


def test_pg_dump_gets_the_password_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    class Done:
        returncode, stderr = 0, b""

    def fake_run(argv: list[str], **kwargs: object) -> Done:
        seen["argv"], seen["env"] = argv, kwargs["env"]
        return Done()

    monkeypatch.setattr("storage.backup.subprocess.run", fake_run)
    monkeypatch.setattr("storage.backup.shutil.which", lambda _: "/usr/bin/pg_dump")
    engine = make_engine("postgresql://nv:s3cr%40t-pass@db.example:5432/nhacviec")
    backup(engine, tmp_path / "x.dump")
    assert not any("s3cr" in a for a in seen["argv"])  # type: ignore[union-attr]
    assert seen["env"]["PGPASSWORD"] == "s3cr@t-pass"  # type: ignore[index]
