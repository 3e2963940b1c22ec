"""iCalendar (RFC 5545) output: a participant's sessions as a calendar file or subscription feed.

Format only: what the events say (and in which language) is decided by services/calendar_feeds.py. Events are
written in the clinic's time zone with its VTIMEZONE (built by icalendar from the zoneinfo database), so a
calendar shows 09:30 in Montréal on both sides of a daylight-saving change.

Re-imports update rather than duplicate (RFC 5545 §3.8.4.7, §3.8.7.4): every event keeps its UID from one export
to the next, SEQUENCE grows when the program behind it changes, and DTSTAMP equals LAST-MODIFIED (the time the
program version was approved). With no METHOD property RFC 5545 lets DTSTAMP be that time, which also makes
two exports of an unchanged program byte for byte the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT_ID = "-//NeuroMotrix//Exercise sessions 1.0//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"
# How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL): an adapted program
# shows within hours, and clients do not poll the server more than a few times a day.
REFRESH = dt.timedelta(hours=6)

Status = Literal["CONFIRMED", "CANCELLED"]


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: dt.datetime  # aware, in the calendar's zone
    minutes: int
    summary: str
    description: str
    sequence: int
    modified_at: dt.datetime  # aware
    url: str | None = None
    status: Status = "CONFIRMED"


@dataclass(frozen=True)
class CalendarDocument:
    name: str
    description: str
    time_zone: str  # an IANA zone, e.g. America/Montreal
    language: str  # en | fr: the LANGUAGE parameter of the texts (RFC 5545 §3.2.10)
    events: Sequence[CalendarEvent]


def to_ics(document: CalendarDocument) -> bytes:
    """The calendar as iCalendar bytes (CRLF lines folded at 75 octets, UTF-8)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", document.name)
    calendar.add("x-wr-calname", document.name)
    calendar.add("x-wr-caldesc", document.description)
    calendar.add("x-wr-timezone", document.time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # The same for clients that predate RFC 7986 (written as text: icalendar does not know this property).
    calendar.add("x-published-ttl", f"PT{REFRESH // dt.timedelta(hours=1)}H")
    zone = ZoneInfo(document.time_zone)
    for item in sorted(document.events, key=lambda event: (event.starts_at, event.uid)):
        calendar.add_component(_event(item, zone, document.language))
    if document.events:
        first = min(item.starts_at for item in document.events).date()
        last = max(item.starts_at for item in document.events).date()
        # Only the transitions around the events: a VTIMEZONE from 1970 to 2038 would be most of the file.
        calendar.add_missing_timezones(first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 2, 1, 1))
    written: bytes = calendar.to_ical()
    return written


def _event(item: CalendarEvent, zone: ZoneInfo, language: str) -> Event:
    starts_at = item.starts_at.astimezone(zone)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.modified_at.astimezone(dt.UTC))
    event.add("last-modified", item.modified_at.astimezone(dt.UTC))
    event.add("sequence", item.sequence)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + dt.timedelta(minutes=item.minutes))
    event.add("summary", item.summary, parameters={"LANGUAGE": language})
    event.add("description", item.description, parameters={"LANGUAGE": language})
    event.add("status", item.status)
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")  # a shared calendar shows the time as busy, not what the event says
    if item.url:
        event.add("url", item.url)
    return event
