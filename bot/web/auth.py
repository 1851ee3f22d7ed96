"""Who is looking: Telegram Mini App `initData` checked exactly as Telegram documents it,
signed links, the session cookie and the CSRF token of forms."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl

MAX_AGE = 24 * 3600  # an initData older than a day is refused


def init_data_user(init_data: str, bot_token: str, now: float,
                   max_age: int = MAX_AGE) -> dict[str, object] | None:
    """The Telegram user an `initData` string was signed for, or None.

    data_check_string: every field but `hash` (including `signature`) as `key=value`,
    sorted, joined by newlines; secret = HMAC_SHA256(key="WebAppData", msg=bot_token);
    the hash must equal hex(HMAC_SHA256(key=secret, msg=data_check_string)), compared in
    constant time; `auth_date` must be at most *max_age* seconds old."""
    if not init_data or not bot_token or len(init_data) > 8192:
        return None
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    received = fields.pop("hash", "")
    if not received or len(fields) + 1 != len(pairs):  # a repeated field: refuse
        return None
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received.lower()):
        return None
    auth_date = fields.get("auth_date", "")
    if not auth_date.isdigit() or not now - max_age <= int(auth_date) <= now + 300:
        return None
    try:
        user = json.loads(fields.get("user", ""))
    except ValueError:
        return None
    return user if isinstance(user, dict) and isinstance(user.get("id"), int) else None


def csrf_token(key: bytes, session_token: str) -> str:
    """The token every form of this session carries (tied to the session cookie)."""
    return hmac.new(key, f"csrf|{session_token}".encode(), hashlib.sha256).hexdigest()[:32]


def csrf_ok(key: bytes, session_token: str, received: str) -> bool:
    return bool(received) and hmac.compare_digest(csrf_token(key, session_token), received)
