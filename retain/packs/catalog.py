"""What a pack says that no interview supplies: section blurbs, tables, entity types, checklists."""

from __future__ import annotations

from dataclasses import dataclass

# What each handover section is for, printed under its heading so a successor knows what to
# expect there. Word templates carry the same words as literal text that people can edit.
PACK_ABOUT: dict[str, str] = {
    "week_one": "Start here: what only the previous holder knew or did, and what needs attention first.",
    "role": "What the role is really for, beyond the job description.",
    "in_flight": "Work in progress, promises made and what is coming up, each with its next step.",
    "rhythms": "What happens daily, weekly, monthly, quarterly and yearly, and what triggers it.",
    "systems": (
        "The systems, tools and data the role relies on, and how to get access. Passwords and "
        "secrets are never recorded here: only where they live and who grants access."
    ),
    "processes": "How things actually get done, including workarounds and the last time something went wrong.",
    "people": "Who to meet first, what to ask them about, and who depends on this work.",
    "decisions": "Why things are done the way they are, so you know what is safe to change.",
    "risks": "What could go wrong, the early warning signs, and how to avoid or handle it.",
    "tacit": "Rules of thumb, advice for the first month, and who else knows what.",
    "signoff": "What the previous holder agreed to about follow-up questions, and the successor's acceptance.",
}

HR_ABOUT: dict[str, str] = {
    "hr_reasons": "Why the person is leaving: the story, the push and pull factors, and what might have kept them.",
    "hr_role": "How the job, the workload and the tools worked out in practice.",
    "hr_manager": "Support from the manager and how the team worked together.",
    "hr_culture": "Culture, development and recognition.",
    "hr_onboarding": "What helped and what was missing in the first months.",
    "hr_change": "The one thing the person would change, and anything else they want known.",
    "hr_alumni": "Whether they would come back, and how they want to stay in touch.",
    "hr_escalation": (
        "Restricted: concerns routed to the HR lead and, where needed, Legal or Compliance. "
        "Never reported as themes."
    ),
    "hr_consent": "What the person agreed to about how their answers are used and about follow-up.",
}


@dataclass(frozen=True)
class TableDef:
    """A list-question table of the handover pack, found by question ``purpose``."""

    key: str
    title: str
    section: str
    columns: tuple[tuple[str, str], ...]
    empty_text: str


TABLES: tuple[TableDef, ...] = (
    TableDef("open_items", "Open items", "in_flight",
             (("item", "Work item"), ("status", "Status"), ("next_step", "Next step"), ("due", "Due")),
             "No open items were recorded."),
    TableDef("recurring", "Recurring tasks", "rhythms",
             (("task", "Task"), ("rhythm", "When or how often"), ("notes", "Notes")),
             "No recurring tasks were recorded."),
    TableDef("systems", "Systems and access", "systems",
             (("name", "System or tool"), ("purpose", "What it is used for"),
              ("access", "How to get access"), ("owner", "Owner or admin")),
             "No systems or tools were recorded."),
    TableDef("contacts", "Contacts", "people",
             (("name", "Name"), ("role", "Role or organisation"), ("ask_about", "Ask them about")),
             "No contacts were recorded."),
    TableDef("risks", "Risks", "risks",
             (("risk", "Risk"), ("impact", "Impact if it happens"), ("mitigation", "How to avoid or handle it")),
             "No risks were recorded in the risk table."),
)

# Entity labels in index order, with the word a reader sees. Counts, ordinals, quantities and
# percentages are left out of the index: they are noise to a successor.
ENTITY_TYPES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "SYSTEM": "System or tool",
    "PRODUCT": "Product",
    "EMAIL": "Email",
    "URL": "Link",
    "RECURRENCE": "Rhythm",
    "DATE": "Date",
    "TIME": "Time",
    "EVENT": "Event",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Facility",
    "NORP": "Group",
    "LAW": "Law or regulation",
    "WORK_OF_ART": "Document or title",
    "MONEY": "Amount",
    "LANGUAGE": "Language",
}
SKIPPED_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"})
# Labels whose items count as knowledge someone can hold alone (with topics).
HOLDABLE_LABELS = frozenset({"SYSTEM", "PRODUCT", "ORG"})
SINGLE_HOLDER_LIMIT = 20

STATUS_LABELS: dict[str, str] = {"draft": "Draft", "in_progress": "In progress", "completed": "Completed"}


HR_CHECKLIST: tuple[str, ...] = (
    "Themes added to the quarterly exit report, without names.",
    "Restricted concerns passed to the HR lead within two working days.",
    "Agreed follow-up (rehire, alumni network, contact after leaving) recorded.",
)


def checklist(name: str) -> list[str]:
    """The successor's acceptance checklist for a handover from ``name``."""
    return [
        f"I have read this handover pack and discussed it with {name} or their manager.",
        "I have access to every system listed under Systems, tools and access, or know who grants it.",
        "I have met, or booked time with, the people listed under People and stakeholder map.",
        "I know the next step and the owner of each item under Work in flight and open items.",
        "The recurring tasks for the next three months are in my calendar.",
        "I have read the risks and warnings and know whom to call if one happens.",
        "Each gap and single-holder topic in the knowledge-risk summary has an owner or a follow-up date.",
    ]


