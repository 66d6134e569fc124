"""Issue 15, fourth round: product-shaped names, lower-case tool names, software verbs, traps."""

from __future__ import annotations

import pytest

from retain.nlp.extractor import Extractor
from tests.conftest import named_entities


@pytest.mark.parametrize("text,name", [
    ("Notifyly sends the appointment reminders.", "Notifyly"),
    ("Kestrelops triggers the failover if the primary goes quiet.", "Kestrelops"),
    ("Rotaware schedules the weekend cover.", "Rotaware"),
    ("Customer chats come in through Helpdeskly.", "Helpdeskly"),
    ("We load-test with k6 before every release.", "k6"),
    ("The backups are pushed to the bucket with s3cmd.", "s3cmd"),
    ("The health checks are run with h2load.", "h2load"),
    ("We query Clickhouse directly for the ad-hoc reports.", "Clickhouse"),
    ("We host Vaultwarden ourselves for the shared passwords.", "Vaultwarden"),
    ("We configure Traefik by labels on the containers.", "Traefik"),
])
def test_product_shaped_and_tool_names_are_systems(extractor: Extractor, text: str, name: str) -> None:
    assert (name, "SYSTEM") in named_entities(extractor, text)


@pytest.mark.parametrize("text", [
    "The Q3 numbers were late because the v2 template had a broken formula.",
    "Monthly reports go to the board. Weekly figures are only for the team.",
    "The h1 forecast and the fy24 budget both sit with the finance team.",
    "Early starts are covered by the night team.",
])
def test_quarter_version_and_ly_words_are_not_systems(extractor: Extractor, text: str) -> None:
    assert not [e for e in named_entities(extractor, text) if e[1] == "SYSTEM"]


def test_first_names_with_a_product_ending_stay_people(extractor: Extractor) -> None:
    found = named_entities(extractor, "Emily handles the onboarding packs, and Kelly covers when she is away.")
    assert ("Emily", "PERSON") in found and ("Kelly", "PERSON") in found
