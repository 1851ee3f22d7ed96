"""The console transport: a person (or a test) types lines, the bot's answers are printed.

The reference transport: it only translates lines to `Incoming` and `Outgoing` to text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TextIO

from handlers.core import Core
from handlers.messages import Incoming, Outgoing, split_text

ATTACHMENT = re.compile(r"\[(?:tệp|tep|file):\s*([^\]]+)\]", re.IGNORECASE)
REPLY = re.compile(r"^>(\S+)\s+")


class ConsoleTransport:
    channel = "console"
    limit = 4096
    has_buttons = True
    rate = 0.0  # no limit
    per_chat_interval = 0.0

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.sent = 0

    @staticmethod
    def incoming(chat_id: str, line: str) -> Incoming:
        """'>12 xong rồi ạ [tệp: bienban.pdf]' replies to message 12 with a file."""
        reply_to = ""
        found = REPLY.match(line)
        if found:
            reply_to, line = found.group(1), line[found.end():]
        files = ATTACHMENT.findall(line)
        text = ATTACHMENT.sub("", line).strip()
        return Incoming("console", chat_id, text, file=" ".join(files), reply_to=reply_to)

    async def send(self, chat_id: str, message: Outgoing) -> str:
        return self.show(chat_id, message)

    def show(self, chat_id: str, message: Outgoing) -> str:
        """Print a message; returns its id (so replies can name it with '>id')."""
        self.sent += 1
        message_id = str(self.sent)
        for piece in split_text(message.text, self.limit):
            self.out.write(piece + "\n")
        for row in message.buttons:
            self.out.write("  " + "  ".join(f"[{b.label}]" + (f" {b.url}" if b.url else "")
                                         for b in row) + "\n")
        if message.file:
            self.out.write(f"  (tệp đính kèm: {message.file})\n")
        self.out.write("\n")
        self.out.flush()
        return message_id

    def converse(self, core: Core, chat_id: str, lines: Iterable[str],
                 prompt: str = "") -> None:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if prompt == "":
                self.out.write(f"» {line}\n")
            for message in core.handle(self.incoming(chat_id, line)):
                self.show(chat_id, message)
