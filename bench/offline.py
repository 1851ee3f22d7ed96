"""PTB networking that answers every Bot API call at once with a plausible result, so a
benchmark measures the Application and our handlers, not a network."""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData


class OfflineRequest(BaseRequest):
    def __init__(self) -> None:
        self.sent = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None
                         ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if name == "getMe":
            result: Any = {"id": 1, "is_bot": True, "first_name": "nhacviec",
                           "username": "nhacviec_bot"}
        elif name in ("sendMessage", "editMessageText", "sendDocument"):
            self.sent += 1
            result = {"message_id": self.sent, "date": 0,
                      "chat": {"id": int(str(params.get("chat_id", 1))), "type": "private"},
                      "text": params.get("text", "")}
        elif name == "getUpdates":
            result = []
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": text,
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Cô"}}}
