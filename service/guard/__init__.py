"""Route every message by shared/policy/guardrails.md: crisis, personal_dosing,
treatment_substitution, out_of_scope or answer (first match wins, in that order)."""

ROUTES = ("crisis", "personal_dosing", "treatment_substitution", "out_of_scope", "answer")
MUST_REFUSE = ("crisis", "personal_dosing", "treatment_substitution")
