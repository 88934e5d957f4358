"""incident layer (DESIGN section 8): the journal, the timeline and the postmortem report.

Imports `model` and the stdlib only (never textual, never aws).

    journal = Journal.open(api="a1b2c3", stage="prod", clock=clock)   # or Journal.open(path)
    journal.append("note", clock.now(), text="paged, looking at 5XX")
    journal.note_changes(changes); journal.note_findings(findings); journal.close()

    read = read_journal(journal.path)          # JournalRead(entries, warnings); JournalError if not a journal
    rows = build_timeline(read.entries)        # list[TimelineRow]
    report = build_report(read.entries, source=str(journal.path))
    render_markdown(report) / render_json(report)
"""

from apigw_cockpit.incident.entries import KINDS, SCHEMA, VERSION, validate
from apigw_cockpit.incident.journal import Journal, close_on_signals
from apigw_cockpit.incident.lessons import Lesson, lesson_for, lessons
from apigw_cockpit.incident.paths import incidents_dir, journal_path, latest_journal
from apigw_cockpit.incident.reader import (
    JournalError,
    JournalRead,
    JournalWarning,
    parse_journal,
    read_journal,
)
from apigw_cockpit.incident.render_json import render_json, report_dict
from apigw_cockpit.incident.render_md import render_markdown
from apigw_cockpit.incident.report import Report, build_report
from apigw_cockpit.incident.timeline import TimelineRow, build_timeline
from apigw_cockpit.redact import redact, redact_value

__all__ = [
    "KINDS",
    "SCHEMA",
    "VERSION",
    "Journal",
    "JournalError",
    "JournalRead",
    "JournalWarning",
    "Lesson",
    "Report",
    "TimelineRow",
    "build_report",
    "build_timeline",
    "close_on_signals",
    "incidents_dir",
    "journal_path",
    "latest_journal",
    "lesson_for",
    "lessons",
    "parse_journal",
    "read_journal",
    "redact",
    "redact_value",
    "render_json",
    "render_markdown",
    "report_dict",
    "validate",
]
