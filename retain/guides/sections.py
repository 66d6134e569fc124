"""The pack and HR report sections questions feed, as plain data (no pydantic import)."""

from __future__ import annotations

# Handover pack sections a question can feed, in the order the pack prints them. cover,
# entity_index, knowledge_risk and appendix are built by retain itself, not fed by questions.
PACK_SECTIONS: dict[str, str] = {
    "week_one": "Week-one briefing",
    "role": "Role snapshot",
    "in_flight": "Work in flight and open items",
    "rhythms": "Recurring rhythms",
    "systems": "Systems, tools and access",
    "processes": "Processes and workarounds",
    "people": "People and stakeholder map",
    "decisions": "Decisions and rationale",
    "risks": "Risks and warnings",
    "tacit": "Tacit know-how and lessons",
    "signoff": "Follow-up consent and sign-off",
}

# Sections of the HR exit report, fed by exit-track questions.
HR_SECTIONS: dict[str, str] = {
    "hr_reasons": "Reasons for leaving",
    "hr_role": "Role, workload and tools",
    "hr_manager": "Manager and team",
    "hr_culture": "Culture, growth and recognition",
    "hr_onboarding": "Onboarding, looking back",
    "hr_change": "What should change",
    "hr_alumni": "Rehire and alumni",
    "hr_escalation": "Escalations for restricted follow-up",
    "hr_consent": "Consent and follow-up",
}

__all__ = ["HR_SECTIONS", "PACK_SECTIONS"]
