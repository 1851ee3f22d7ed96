"""The web view (`bot.web.build_app`): pages for staff and principals, opened from the chat."""

from bot.web.app import build_app, web_routes

__all__ = ["build_app", "web_routes"]
