"""The command table: one line per command, each name typed one way only."""

from handlers.core import BY_NAME, COMMANDS, Access, menu
from tests.handlers.conftest import Chat


def test_every_name_and_alias_leads_to_one_command() -> None:
    names = [n for c in COMMANDS for n in (c.name, *c.aliases)]
    assert len(names) == len(set(names)) == len(BY_NAME)


def test_only_start_is_open_to_strangers() -> None:
    assert [c.name for c in COMMANDS if c.access == Access.ANYONE] == ["start"]


def test_the_menu_offers_vietnamese_commands_from_the_table() -> None:
    assert [typed for typed, _ in menu()] == ["nhiemvu", "baocao", "giup", "hoantac", "lienket"]
    assert all(BY_NAME[typed].aliases[0] == typed for typed, _ in menu())


def test_an_unknown_command_is_not_understood_and_a_stranger_is_told_how_to_start(
        linked, core) -> None:
    assert "chưa hiểu" in linked("TH-CATBI").say("/khongco")
    assert "/start MÃ_MỜI" in Chat(core, "stranger").say("/khongco")


def test_telegram_botname_suffix_is_not_part_of_the_command(linked) -> None:
    assert "HƯỚNG DẪN" in linked("TH-CATBI").say("/giup@nhacviec_bot")


def test_a_nul_character_is_dropped_before_anything_is_stored(linked) -> None:
    assert "1.1 — Hoàn thành" in linked("TH-CATBI").say("xong\x00 1.1")
