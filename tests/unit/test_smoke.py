from __future__ import annotations

from retain.services import Services


def test_flow(services: Services) -> None:
    iv = services.interviews.start("handover", "Ana Silva")
    services.interviews.answer(iv.id or 0, "only-you", text="I run the PayBridge export.")
    report = services.reports.show(iv.id or 0)
    assert report["answers"][0]["visibility"] == "shareable"
