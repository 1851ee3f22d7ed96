"""`nhacviec chat`: a thin terminal front over the memory transport. A person (or a test)
types lines; the bot's answers are printed with their ids, buttons and files."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.transports.base import clean
from bot.transports.memory import MemoryTransport
from handlers.core import Core
from handlers.messages import Outgoing, split_text

ATTACHMENT = re.compile(r"\[(?:tệp|tep|file):\s*([^\]]+)\]", re.IGNORECASE)
REPLY = re.compile(r"^>(\S+)\s+")


def parse_line(line: str) -> dict[str, str]:
    """'>12 xong rồi ạ [tệp: bienban.pdf]' replies to message 12 with a file."""
    reply_to = ""
    found = REPLY.match(line)
    if found:
        reply_to, line = found.group(1), line[found.end():]
    files = ATTACHMENT.findall(line)
    text = clean(ATTACHMENT.sub("", line)).strip()
    return {"text": text, "file": " ".join(files), "reply_to": reply_to}


class ConsoleTransport:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.memory = MemoryTransport("console")

    def show(self, message: Outgoing, number: int) -> None:
        """Print a message under its id (so replies can name it with '>id')."""
        self.out.write(f"[{number}]\n")
        for piece in split_text(message.text, self.memory.limits.text):
            self.out.write(piece + "\n")
        for row in message.buttons:
            self.out.write("  " + "  ".join(f"[{b.label}]" + (f" {b.url}" if b.url else "")
                                         for b in row) + "\n")
        if message.file:
            self.out.write(f"  (tệp đính kèm: {message.file})\n")
        self.out.write("\n")
        self.out.flush()

    def converse(self, core: Core, chat_id: str, lines: Iterable[str],
                 prompt: str = "") -> None:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if prompt == "":
                self.out.write(f"» {line}\n")
            fields = parse_line(line)
            first = len(self.memory.sent) + 1
            answers = self.memory.talk(core, chat_id, fields.pop("text"), **fields)
            for number, message in enumerate(answers, start=first):
                self.show(message, number)
