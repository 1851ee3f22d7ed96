"""Telegram Mini App initData, checked as Telegram documents it, and the CSRF token."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from bot.web.auth import csrf_ok, csrf_token, init_data_user
from tests.bot.web.conftest import BOT_TOKEN, NOW, init_data_for, sign_init_data

NOW_TS = NOW.timestamp()


def test_a_genuine_init_data_names_its_user() -> None:
    user = init_data_user(init_data_for(777), BOT_TOKEN, NOW_TS)
    assert user == {"id": 777, "first_name": "Nga"}


def test_signature_field_is_part_of_the_checked_data() -> None:
    fields = dict(parse_qsl(init_data_for(777)))
    fields["signature"] = "changed"
    assert init_data_user(urlencode(fields), BOT_TOKEN, NOW_TS) is None


def test_forged_tampered_or_foreign_init_data_is_refused() -> None:
    genuine = init_data_for(777)
    other_bot = init_data_for(777, token="999:other")
    fields = dict(parse_qsl(genuine))
    fields["user"] = json.dumps({"id": 1, "first_name": "Nga"})
    tampered = urlencode(fields)
    no_hash = urlencode({k: v for k, v in parse_qsl(genuine) if k != "hash"})
    repeated = genuine + "&user=" + json.dumps({"id": 1})
    for data in (other_bot, tampered, no_hash, repeated, "", "hash=00", "%%%"):
        assert init_data_user(data, BOT_TOKEN, NOW_TS) is None, data
    assert init_data_user(genuine, "", NOW_TS) is None  # no bot token: nobody


def test_auth_date_older_than_a_day_is_refused() -> None:
    assert init_data_user(init_data_for(7, NOW - timedelta(hours=23)), BOT_TOKEN, NOW_TS)
    assert init_data_user(init_data_for(7, NOW - timedelta(hours=25)), BOT_TOKEN, NOW_TS) is None
    assert init_data_user(init_data_for(7, NOW + timedelta(hours=1)), BOT_TOKEN, NOW_TS) is None
    no_date = sign_init_data({"user": json.dumps({"id": 7})})
    assert init_data_user(no_date, BOT_TOKEN, NOW_TS) is None


def test_csrf_token_belongs_to_one_session() -> None:
    key = b"k" * 32
    token = csrf_token(key, "s.1.0.99.mac")
    assert csrf_ok(key, "s.1.0.99.mac", token)
    assert not csrf_ok(key, "s.2.0.99.mac", token)
    assert not csrf_ok(key, "s.1.0.99.mac", "")
    assert not csrf_ok(b"x" * 32, "s.1.0.99.mac", token)
