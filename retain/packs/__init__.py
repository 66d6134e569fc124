"""Handover packs and HR exit reports: one context, rendered to docx, Markdown, HTML or JSON."""
