"""The web view (`bot.web.build_app`): pages for staff and principals, opened from the chat."""

from bot.web.app import build_app

__all__ = ["build_app"]
