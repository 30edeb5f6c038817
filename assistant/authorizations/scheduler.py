"""The daily authorization pass inside the service, on APScheduler (runs are idempotent, so a restart is safe)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)


def daily_job(service: Any) -> int:
    """One pass for today; returns how many new alerts it created."""
    run = service.run_daily(dt.date.today())
    log.info("authorization daily pass: %d authorization(s), %d new alert(s)", run.authorizations, len(run.alerts))
    return len(run.alerts)


def start_daily_scheduler(runtime: Any, at: str) -> BackgroundScheduler:
    """Run the pass every day at ``at`` (``HH:MM``, local time); the caller shuts the scheduler down."""
    hour, minute = (int(part) for part in at.split(":"))
    scheduler = BackgroundScheduler()
    scheduler.add_job(lambda: daily_job(runtime.authorizations), CronTrigger(hour=hour, minute=minute),
                      id="authorizations-daily", max_instances=1, coalesce=True, misfire_grace_time=3600)
    scheduler.start()
    return scheduler
