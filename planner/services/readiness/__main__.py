"""`python -m planner.services.readiness` prints the rules document (resources/readiness-rules.md)."""

from planner.services.readiness.document import rules_markdown

print(rules_markdown(), end="")
