"""The handover interview behind the format fixtures, and the question each asking turn means.

``python tests/data/transcripts/handover_script.py`` rewrites the Teams, Zoom, SRT, Otter,
Meet and plain-text versions from this one script, so the formats stay the same interview.
"""

from __future__ import annotations

import uuid
from pathlib import Path

ER, EE, OTHER = "Sam Patel", "Dana Whitfield", "Priya Nair"

# (speaker, text, the guide question an interviewer turn asks, or None)
SCRIPT: list[tuple[str, str, str | None]] = [
    (ER, "Hi Dana, thanks for making the time. Can you hear me okay?", None),
    (EE, "Yes, loud and clear. Sorry, my dog might bark at some point.", None),
    (ER, "No worries at all. How's the packing going for the move to Lisbon?", None),
    (EE, "Chaotic, honestly. Boxes everywhere, but we fly on the twentieth.", None),
    (ER, "Exciting. Right, let's get started. In your own words, what is this job actually for? "
         "How does it compare with the official job description?", "role-summary"),
    (EE, "The job description says payroll analyst, but really I am the person who makes sure the "
         "month-end payroll reconciliation balances before finance closes the books. A good week "
         "is one where nobody in finance has to chase me.", None),
    (ER, "And who would notice first if nobody did it for a month?", "role-summary"),
    (EE, "Finance, on day three of the close. Marta Jensen would ring me first.", None),
    (ER, "What do you know or do that no one else in the team does?", "only-you"),
    (EE, "The manual fix for the pension export. When the ADP file has a leaver with a negative "
         "balance, the Sage import rejects the whole batch, so I split the file by hand and "
         "re-key the leaver.", None),
    (ER, "Does anyone else know how to do that, even partly?", "only-you"),
    (EE, "Tomasz has seen me do it once, but he has never run it himself. [inaudible] the runbook "
         "on Confluence is from 2021 and it is out of date.", None),
    (ER, "Suppose you disappeared tomorrow. What would fall over first, and how long until "
         "people noticed?", "breaks-first"),
    (EE, "The pension export, in the first week. It fails silently, which is the problem.", None),
    (OTHER, "Sorry to barge in, Dana, the courier for your laptop is at reception.", None),
    (EE, "Oh, thanks Priya, tell him ten minutes please.", None),
    (ER, "No problem. You were saying the pension export fails silently?", "breaks-first"),
    (EE, "Right. Nobody would notice until the pension provider emails on the 10th asking where "
         "the contributions are, and by then we are late and there is a penalty.", None),
    (ER, "Let's talk about what is in progress at the moment. What work have you got on the "
         "go, and where is each piece at?", "in-flight"),
    (EE, "Three things. The move of timesheets into Workday, which is in testing until the end of "
         "the month. The salary review letters, half done. And a promise to Marta to automate the "
         "accruals journal, which only lives in my head.", None),
    (ER, "Looking ahead to the next half year, what is coming up that whoever takes over needs "
         "to be ready for?", "next-six-months"),
    (EE, "Year-end in April is the big one. P60s by the end of May, and the auditors from Grant "
         "Thornton come in June. Preparation starts in February.", None),
    (ER, "Which tools and software do you rely on, and how would the new person get logins "
         "for each one?", "systems"),
    (EE, "ADP for payroll, Sage for the ledger, Workday for HR data, and a reconciliation "
         "spreadsheet on the finance share. Access to ADP goes through the IT service desk and "
         "takes about two weeks, so start early.", None),
    (ER, "What are your regular tasks, the weekly and monthly routines?", "recurring"),
    (EE, "Every Monday I check the starters and leavers list. By the 5th of each month I send the "
         "pension file. At quarter-end I reconcile the payroll control account.", None),
    (ER, "Are there processes you keep going with a workaround, something unofficial?",
     "workarounds"),
    (EE, "The overtime upload. The official route is the Workday integration, but it drops "
         "weekend shifts, so I export them and upload a CSV into ADP by hand.", None),
    (ER, "Can you think of the last time things went badly wrong? Talk me through what "
         "happened and who you rang.", "last-incident"),
    (EE, "March last year the BACS file was rejected by the bank at four in the afternoon. I "
         "called Lloyds commercial support, then Marta, and we resubmitted with a same-day "
         "payment. Next time I would check the file hash before sending.", None),
    (ER, "Who are the first people your replacement should sit down with, and what should "
         "they ask each one?",
     "contacts"),
    (EE, "Marta Jensen in finance, about the close calendar. Tomasz, about the pension file. And "
         "Gary at ADP support, who actually answers the phone.", None),
    (ER, "Some things here look arbitrary but have a reason behind them. Why is the pension run on "
         "the 3rd rather than the 1st, and are there others like that?", "decisions"),
    (EE, "The 3rd is because the bank holiday rule once pushed the file past the provider "
         "deadline. Marta and I agreed it in 2022, it is in the close calendar notes.", None),
    (ER, "What traps or sensitive areas could the new person walk into?",
     "landmines"),
    (EE, "Do not change the cost centre mapping without telling Marta first, it breaks the "
         "finance reports. And the union rep expects notice before any pay date changes.", None),
    (ER, "If you had one tip for your successor's first month, what would it be?",
     "advice"),
    (EE, "Shadow one full month-end before changing anything, and keep a log of every manual "
         "fix you make.", None),
    (ER, "Apart from you, who knows this stuff? And if nobody could reach you, where should "
         "your successor look?", "who-else-knows"),
    (EE, "Tomasz partly, and the Confluence payroll space, although half of it is stale. The "
         "close calendar notes are current.", None),
    (ER, "Is it alright if your successor gets in touch with follow-up questions after you "
         "leave?", "follow-up-consent"),
    (EE, "Yes, my successor may contact me directly.", None),
    (ER, "Brilliant. That's everything from me, thanks for your time Dana, and good luck in "
         "Lisbon.", None),
    (EE, "Thanks Sam, it was good to get it all down.", None),
]


def timed() -> list[tuple[int, int, str, str]]:
    """Each turn with a start and end second (about 2.6 words a second, plus pauses)."""
    out: list[tuple[int, int, str, str]] = []
    clock = 3
    for speaker, text, _ in SCRIPT:
        length = max(2, round(len(text.split()) / 2.6))
        out.append((clock, clock + length, speaker, text))
        clock += length + 2
    return out


def _vtt_time(seconds: float, pad: bool = True) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    ms = round((seconds - int(seconds)) * 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}" if pad else f"{h}:{m}:{s}.{ms:03d}"


def _srt_time(seconds: float) -> str:
    return _vtt_time(seconds).replace(".", ",")


def _halves(text: str) -> list[str]:
    words = text.split()
    if len(words) < 16:
        return [text]
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])]


def teams(pad: bool = True) -> str:
    """Teams: GUID/n-0 cue ids, <v Name> voice tags, long turns split over cues and lines."""
    rng = uuid.UUID("6f1c2d3e-0000-4000-8000-000000000000")
    lines = ["WEBVTT", ""]
    for n, (start, end, speaker, text) in enumerate(timed()):
        parts = _halves(text)
        step = (end - start) / len(parts)
        for k, part in enumerate(parts):
            words = part.split()
            body = " ".join(words[: len(words) // 2]) + "\n" + " ".join(words[len(words) // 2 :])
            lines += [
                f"{rng}/{n + 10}-{k}",
                f"{_vtt_time(start + k * step, pad)} --> {_vtt_time(start + (k + 1) * step, pad)}",
                f"<v {speaker}>{body.strip()}</v>",
                "",
            ]
    return "\n".join(lines)


def zoom() -> str:
    """Zoom *.transcript.vtt: numbered cues, ``Name: text``, continuation cues without a name."""
    lines = ["WEBVTT", ""]
    number = 1
    for start, end, speaker, text in timed():
        parts = _halves(text)
        step = (end - start) / len(parts)
        for k, part in enumerate(parts):
            lines += [
                str(number),
                f"{_vtt_time(start + k * step)} --> {_vtt_time(start + (k + 1) * step)}",
                f"{speaker}: {part}" if k == 0 else part,
                "",
            ]
            number += 1
    return "\n".join(lines)


def srt_file() -> str:
    """SRT with ``Name:`` prefixes."""
    lines: list[str] = []
    for n, (start, end, speaker, text) in enumerate(timed(), start=1):
        lines += [str(n), f"{_srt_time(start)} --> {_srt_time(end)}", f"{speaker}: {text}", ""]
    return "\n".join(lines)


def otter() -> str:
    """Otter .txt: ``Name  M:SS`` headers, the text below, and Otter's footer."""
    lines: list[str] = []
    for start, _, speaker, text in timed():
        lines += [f"{speaker}  {start // 60}:{start % 60:02d}", text, ""]
    lines.append("Transcribed by https://otter.ai")
    return "\n".join(lines)


def plain() -> str:
    """Plain text ``Name: text`` turns."""
    return "\n".join(f"{speaker}: {text}" for _, _, speaker, text in timed()) + "\n"


def meet(path: Path) -> None:
    """A Google Meet transcript as Google Docs downloads it (.docx)."""
    import docx

    document = docx.Document()
    document.add_heading("Payroll handover - Dana (2026-11-20 14:00 GMT) - Transcript", 1)
    document.add_paragraph("Attendees")
    document.add_paragraph(f"{ER}, {EE}, {OTHER}")
    document.add_heading("Transcript", 2)
    mark = -1
    for start, _, speaker, text in timed():
        if start // 60 != mark:
            mark = start // 60
            document.add_paragraph(f"00:{start // 60:02d}:{start % 60:02d}")
        document.add_paragraph(f"{speaker}: {text}")
    document.add_paragraph("Meeting ended after 00:09:12 👋")
    document.save(path)


def main() -> None:
    here = Path(__file__).parent
    (here / "handover.teams.vtt").write_text(teams(), encoding="utf-8")
    (here / "handover.graph.vtt").write_text(teams(pad=False), encoding="utf-8")
    (here / "handover.transcript.vtt").write_text(zoom(), encoding="utf-8")
    (here / "handover.srt").write_text(srt_file(), encoding="utf-8")
    (here / "handover.otter.txt").write_text(otter(), encoding="utf-8")
    (here / "handover.plain.txt").write_text(plain(), encoding="utf-8")
    meet(here / "handover.meet.docx")


if __name__ == "__main__":
    main()
