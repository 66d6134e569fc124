"""Transcript readers (vtt, srt, txt, docx) that yield normalised turns, and their mapping onto a guide."""

from __future__ import annotations

from retain.imports.model import FORMATS, Transcript, TranscriptError, Turn, clock
from retain.imports.readers import MAX_BYTES, read_transcript

__all__ = ["FORMATS", "MAX_BYTES", "Transcript", "TranscriptError", "Turn", "clock", "read_transcript"]
