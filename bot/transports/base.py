"""The whole contract between the service and a channel (Telegram, Zalo, memory).

A transport translates: the channel's updates become `Received` (a neutral `Incoming` plus
what the transport will need to answer it), `Outgoing` become the channel's messages. It
owns its connection (start/stop, polling or a webhook route on the service's one web
server) and states its limits. It never decides what to say: failures are reported as
neutral facts (`Undeliverable.reason`), and the words come from `handlers/`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from handlers.messages import Action, ActionKind, Incoming, Outgoing
from storage.models import State

log = logging.getLogger(__name__)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Limits:
    text: int  # characters in one message (longer texts are split)
    buttons: bool  # inline buttons under a message
    files: bool  # documents and pictures
    rate: float  # messages a second, overall (0: no limit)
    per_chat_interval: float  # seconds between two messages to one chat


@dataclass(frozen=True)
class Downloads:
    """Documents a transport keeps a local copy of before it hands the message on, so the
    core can read them (`Incoming.file_path`): names ending in one of *suffixes*, at most
    *max_bytes* (a bigger one arrives with `file_size` and no `file_path`). Which suffixes
    is the caller's choice; a transport only fetches."""

    directory: Path
    max_bytes: int
    suffixes: tuple[str, ...]

    def wants(self, name: str) -> bool:
        return name.lower().endswith(self.suffixes)

    def path_for(self, channel: str, update_id: str, name: str) -> Path:
        """A fresh place for one update's document, under its name as sent (made safe)."""
        safe = CONTROL.sub("", Path(name.replace("\\", "/")).name).strip(" .") or "tep"
        return self.directory / f"{channel}-{update_id}" / safe[-120:]


@dataclass(frozen=True)
class Received:
    """One update as the transport hands it to the inbox."""

    update_id: str  # unique per channel: the inbox stores each update once
    message: Incoming
    context: dict[str, Any] = field(default_factory=dict)  # JSON: what answering needs


# Stores updates durably; returns only once they are stored (then the transport may
# acknowledge them to the platform). Raises if the database would not take them.
Receive = Callable[[str, list[Received]], Awaitable[None]]


class SendError(Exception):
    """A send that did not go through."""


class RetryLater(SendError):
    """Try again later (429, 5xx, timeout, connection refused)."""

    def __init__(self, reason: str, retry_after: float | None = None,
                 timeout: bool = False) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.timeout = timeout  # no answer in time: it may still have been delivered


class Reason(StrEnum):
    BLOCKED = "blocked"  # the person blocked the bot
    NO_CHAT = "no_chat"  # the chat does not exist (any more)
    REFUSED = "refused"  # the platform refuses this message for good


class Undeliverable(SendError):
    """Will never go through."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason


class StartFailed(Exception):
    """The channel cannot start (a token refused, a setting wrong): not worth retrying."""

    def __init__(self, fact: str) -> None:
        super().__init__(fact)
        self.fact = fact  # "token_rejected", "webhook_refused" …


class Transport(Protocol):
    channel: str
    limits: Limits

    def routes(self) -> list[web.RouteDef]:
        """Web routes to mount on the service's one web server (webhooks); [] if none."""
        ...

    async def start(self, receive: Receive) -> None:
        """Connect (retrying with back-off while the platform is unreachable), then begin
        receiving: polling, or registering the webhook whose route `routes()` gave."""
        ...

    async def stop(self) -> None:
        ...

    async def send(self, chat_id: str, message: Outgoing) -> str:
        """Send (split to the limit); return the channel's id of the (last) message."""
        ...

    async def answer(self, received: Received, answers: list[Outgoing]) -> None:
        """Deliver the core's answers to an update (in its chat, or in place of a button)."""
        ...


def fit(message: Outgoing, limits: Limits) -> Outgoing:
    """The message as this channel can carry it: buttons dropped where there are none (a
    page button written as its link).
    (Files on a channel without files are worded by the caller, from handlers/.)"""
    if message.buttons and not limits.buttons:  # a page button becomes its link
        links = [f"{b.label}: {b.url}" for row in message.buttons for b in row if b.url]
        return Outgoing("\n".join([message.text, *links]), file=message.file,
                        chat_id=message.chat_id, channel=message.channel, edit=message.edit)
    return message


_INCOMING = tuple(Incoming.__dataclass_fields__)
_ACTION = tuple(Action.__dataclass_fields__)


def stored_form(message: Incoming) -> dict[str, Any]:
    """An `Incoming` as the inbox stores it: what `dataclasses.asdict` gives, without its
    deep copies (it was 5 % of an update's way in)."""
    data = {name: getattr(message, name) for name in _INCOMING}
    if message.action is not None:
        data["action"] = {name: getattr(message.action, name) for name in _ACTION}
    return data


def incoming_from(data: dict[str, Any]) -> Incoming:
    """An `Incoming` back from its stored form (`dataclasses.asdict`; unknown keys
    ignored)."""
    known = Incoming.__dataclass_fields__
    fields = {k: v for k, v in data.items() if k in known}
    action = fields.get("action")
    if isinstance(action, dict):
        state = action.get("state")
        fields["action"] = Action(ActionKind(action["kind"]), str(action.get("code") or ""),
                                  State(state) if state else None,
                                  int(action.get("question") or 0), bool(action.get("yes")))
    return Incoming(**fields)


def clean(text: str) -> str:
    """Text as the core may store it: no NUL or other control characters."""
    return CONTROL.sub("", text)


def secret_ok(expected: str, received: str | None) -> bool:
    """A webhook's secret header matches (constant time); no secret set matches nothing."""
    return bool(expected) and received is not None and hmac.compare_digest(
        expected.encode(), received.encode())


async def connect_with_backoff(connect: Callable[[], Awaitable[None]], name: str, *,
                               transient: tuple[type[BaseException], ...],
                               first: float = 1.0, longest: float = 60.0) -> None:
    """Run *connect* until it succeeds, waiting longer after each transient failure
    (the platform unreachable at start-up); anything else is raised."""
    delay = first
    while True:
        try:
            await connect()
            return
        except transient as err:
            log.warning("%s unreachable (%s); trying again in %.0f s", name,
                        type(err).__name__, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, longest)


async def store_until_stored(receive: Receive, channel: str, items: list[Received],
                             longest: float = 5.0) -> None:
    """Hand updates to the inbox, retrying while the database is busy: they stay in
    memory meanwhile and are acknowledged to the platform only afterwards."""
    delay = 0.2
    while True:
        try:
            await receive(channel, items)
            return
        except asyncio.CancelledError:
            raise
        except Exception as err:
            log.warning("%d %s updates not stored yet (%s); trying again", len(items),
                        channel, type(err).__name__)
        await asyncio.sleep(delay)
        delay = min(delay * 2, longest)
