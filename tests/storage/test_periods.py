"""Report periods: when staff closed one is kept as the moment it was, whatever the time
zone of the database server or of the connection."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from storage.db import make_engine, session_scope
from storage.periods import close_period, closures, periods_of
from storage.plans import active_plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _local_engine(loaded: Engine) -> Engine:
    """The same database through a connection whose session time zone is not UTC."""
    if loaded.dialect.name != "postgresql":
        return loaded
    return make_engine(loaded.url.render_as_string(hide_password=False)
                       + "?options=-c%20timezone%3DAsia/Ho_Chi_Minh")


def test_a_closure_keeps_its_moment_on_every_server(loaded: Engine) -> None:
    engine = _local_engine(loaded)
    closed = datetime(2024, 3, 26, 23, 30, tzinfo=TZ)
    with session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            assert session.connection().execute(text("SHOW timezone")).scalar() \
                == "Asia/Ho_Chi_Minh"
        plan = active_plan(session)
        assert plan is not None and plan.id is not None
        period = periods_of(session, plan_id=plan.id)[0]
        close_period(session, period=period, at=closed)
    with session_scope(engine) as session:
        assert closures(session, plan_id=plan.id) == {period.id: closed}
    if engine is not loaded:
        engine.dispose()
