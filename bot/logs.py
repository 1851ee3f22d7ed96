"""Nothing secret ever leaves the process in text: `redacted()` wraps the program's
stdout and stderr (the outermost layer, where every log line, message and traceback
passes), replacing each secret with ***."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO
from urllib.parse import quote, unquote


class RedactingStream:
    """A text stream that writes through to another one, secrets replaced."""

    def __init__(self, stream: TextIO, secrets: list[str]) -> None:
        self.stream = stream
        forms = {form for s in secrets if s and len(s) >= 6
                 for form in (s, quote(s, safe=""), unquote(s))}
        self.secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "***")
        return text

    def write(self, text: str) -> int:
        self.stream.write(self.redact(text))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextmanager
def redacted(secrets: list[str]) -> Iterator[None]:
    """stdout and stderr with every secret replaced, for the block's duration."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(out, secrets), RedactingStream(err, secrets)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def setup_logging(level: int = logging.INFO) -> None:
    """Log lines to the (redacted) stderr of the moment."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
