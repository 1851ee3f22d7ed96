"""/hoantac (/undo, or the undo button): take back this person's last recorded change."""

from __future__ import annotations

import uuid

from handlers.context import Context
from handlers.messages import Reply
from handlers.replies.status import StatusUpdater


def run(ctx: Context) -> Reply:
    updater = StatusUpdater(ctx.session, ctx.config, ctx.person, ctx.school, ctx.msg, ctx.now,
                            batch=uuid.uuid4().hex, plan=ctx.plan())
    return updater.undo(ctx.reply)
