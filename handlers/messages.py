"""What goes in and out of the core: plain data, no channel types."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from storage.models import State


class ActionKind(StrEnum):
    STATUS = "status"  # set one task's state (a reminder's quick-reply button)
    UNDO = "undo"  # take back the last recorded change
    ANSWER = "answer"  # answer a question the bot asked back ("Đã hoàn thành 1.2" / "Chưa")
    IMPORT = "import"  # import a previewed plan file ("Nhập") or drop it ("Huỷ")


@dataclass(frozen=True)
class Action:
    """What a pressed button means, in the core's terms. Transports read their platform's
    button data into an `Action` (`Action.decode`) and put `Action.encode()` into the
    buttons they draw, so the core never sees a platform's encoding."""

    kind: ActionKind
    code: str = ""  # the task code, for STATUS
    state: State | None = None  # the state to record, for STATUS
    question: int = 0  # the pending question answered (ANSWER) or import (IMPORT)
    yes: bool = False  # the answer, for ANSWER and IMPORT

    def encode(self) -> str:
        """Compact button data (fits Telegram's 64 bytes): "st:1.2:done" or "undo"."""
        if self.kind == ActionKind.UNDO:
            return "undo"
        if self.kind in _QUESTION_PREFIX:
            return f"{_QUESTION_PREFIX[self.kind]}:{self.question}:{1 if self.yes else 2}"
        return f"st:{self.code}:{_STATE_DATA[self.state or State.DONE]}"

    @staticmethod
    def decode(data: str) -> Action | None:
        """The action of *data* written by `encode`, or None if it is not one."""
        if data == "undo":
            return Action(ActionKind.UNDO)
        parts = data.split(":")
        if len(parts) == 3 and parts[0] in _PREFIX_QUESTION and parts[1].isdigit() \
                and parts[2] in ("1", "2"):
            return Action(_PREFIX_QUESTION[parts[0]], question=int(parts[1]),
                          yes=parts[2] == "1")
        if len(parts) == 3 and parts[0] == "st" and parts[2] in _DATA_STATE and parts[1]:
            return Action(ActionKind.STATUS, parts[1], _DATA_STATE[parts[2]])
        return None


_STATE_DATA = {State.DONE: "done", State.IN_PROGRESS: "progress", State.BLOCKED: "blocked",
               State.NOT_STARTED: "todo"}
_DATA_STATE = {v: k for k, v in _STATE_DATA.items()}
_QUESTION_PREFIX = {ActionKind.ANSWER: "ask", ActionKind.IMPORT: "imp"}
_PREFIX_QUESTION = {v: k for k, v in _QUESTION_PREFIX.items()}


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram", "zalo", "console"
    chat_id: str
    text: str = ""  # as typed; a transport removes a platform's "/command@botname" suffix
    file: str = ""  # the channel's file id or URL of an attachment, if any
    file_name: str = ""  # the attachment's name as sent ("ke-hoach.docx"), if the channel says
    file_size: int = 0  # its size in bytes, as the channel states it (0: not stated)
    file_path: str = ""  # a local copy the transport saved (see `Downloads`), if it did
    reply_to: str = ""  # the channel's id of the bot message this replies to
    callback: str = ""  # raw data of a pressed button, for the record (the core reads action)
    display_name: str = ""
    action: Action | None = None  # a pressed button, read by the transport
    user_id: str = ""  # who wrote (empty: the chat's id, as in a private chat)
    private: bool = True  # a one-to-one chat with the bot (not a group)
    unsupported: bool = False  # something the channel cannot pass on (a sticker …)

    @property
    def sender(self) -> str:
        """The identity of the person who wrote: the user, never the group."""
        return self.user_id or self.chat_id


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # Action.encode() of the button's action
    url: str = ""  # set: the button opens this page (Telegram: as a Mini App) instead

    @staticmethod
    def of(label: str, action: Action) -> Button:
        return Button(label, action.encode())


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
