"""Pseudonymised exports: which names to replace, and the key file kept apart from the pack."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from retain.clock import utcnow
from retain.config import Settings
from retain.errors import ExportError
from retain.packs.pseudonymise import Pseudonymiser, names_from_context
from retain.store.models import Mention, Person


def pseudonymiser_for(engine: Engine, interview_id: int, context: Any) -> Pseudonymiser:
    """A pseudonymiser that knows every person: the person table, the interview's PERSON
    mentions (confidential answers' too, in case a name also appears elsewhere) and the
    names in the context's entity index and contact rows."""
    with engine.connect() as db:
        names = list(db.execute(select(Person.name)).scalars())
        names += list(db.execute(select(Mention.text).where(
            col(Mention.interview_id) == interview_id, col(Mention.label) == "PERSON").distinct()).scalars())
    names += list(names_from_context(context))
    return Pseudonymiser(names)


def key_path(settings: Settings, pack: Path) -> Path:
    """Where the key of a pack goes: the data folder, never beside the pack that leaves the building."""
    return Path(settings.data_dir).expanduser() / "pseudonym-keys" / f"{pack.name}.key.json"


def write_key(settings: Settings, pack: Path, pseudonyms: Pseudonymiser) -> Path:
    """Write the placeholder -> original key for ``pack``, owner-only.

    Raises:
        ExportError: If the key cannot be written.
    """
    target = key_path(settings, pack)
    document = {"pack": str(pack.resolve()), "created_at": utcnow().isoformat(),
                "placeholders": pseudonyms.key_document()}
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.chmod(target, 0o600)
    except OSError as exc:
        raise ExportError(f"cannot write the pseudonym key {target}: {exc.strerror}; check RETAIN_DATA_DIR") from exc
    return target
