"""What goes in and out of the core: plain data, no channel types."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram", "zalo", "console"
    chat_id: str
    text: str = ""
    file: str = ""  # the channel's file id or URL of an attachment, if any
    reply_to: str = ""  # the channel's id of the bot message this replies to
    callback: str = ""  # data of a pressed button
    display_name: str = ""


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    url: str = ""  # set: the button opens this page (Telegram: as a Mini App) instead


@dataclass(frozen=True)
class Outgoing:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    file: Path | None = None
    chat_id: str = ""  # empty: the chat the incoming message came from
    channel: str = ""
    edit: str = ""  # id of a bot message to edit in place instead of sending anew


@dataclass
class Reply:
    """The core's answer to one incoming message."""

    messages: list[Outgoing] = field(default_factory=list)

    def say(self, text: str, **kwargs: object) -> Reply:
        self.messages.append(Outgoing(text, **kwargs))  # type: ignore[arg-type]
        return self


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most *limit* characters, cut between lines, never inside one
    (a single line longer than the limit is cut between words)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces
