"""Knowledge extraction: the Extractor protocol, the spaCy pipeline, rules, normalisation, topics.

Importing this package never imports spaCy: the pipeline modules load it only when extraction
actually runs (see :func:`retain.nlp.extractor.load_extractor`).
"""

from __future__ import annotations

from retain.nlp.extractor import ExtractedMention, Extraction, Extractor, load_extractor

__all__ = ["ExtractedMention", "Extraction", "Extractor", "load_extractor"]
