"""What every transport offers the sender, and the two ways a send can fail."""

from __future__ import annotations

from typing import Protocol

from handlers.messages import Outgoing


class SendError(Exception):
    """A send that did not go through."""


class RetryLater(SendError):
    """Try again later (429, 5xx, timeout, connection refused)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Undeliverable(SendError):
    """Will never go through (the person blocked the bot, the chat does not exist)."""


class Transport(Protocol):
    channel: str
    limit: int  # characters a message
    has_buttons: bool
    rate: float  # messages a second, overall
    per_chat_interval: float  # seconds between two messages to one chat

    async def send(self, chat_id: str, message: Outgoing) -> str:
        """Send (split to the limit); return the channel's id of the (last) message."""
        ...
