"""Route every message by shared/policy/guardrails.md (the route names live in
kbchat.core.conversation.Route).

The first route that fits wins, in this priority order:

1. crisis: crisis.py (`crisis_rule`), self-harm or an emergency happening now.
2. personal_dosing: dosing.py (`dosing_rule`), amounts, timing, strains, tapering.
3. treatment_substitution: substitution.py (`substitution_rule`), replacing, stopping or combining
   a treatment with kratom.
4. out_of_scope: scope.py (`leaves_topic`, `names_other_topic`, `topical`,
   `switches_to_other_drug`), not about kratom.
5. answer: everything else in scope (router.py's default).

rules.py applies the three must-refuse rules in that order (`apply_rules`); lexicon.py holds the
vocabulary more than one route reads (`in_scope`, `research_framed`, `RuleHit`); normalize.py
prepares the text; router.py combines the rules, the classifier (classifier.py) and scope;
templates.py holds the reply for each refusing route; policy.py holds every pattern the
routes read as one reviewable table (`kbchat guard policy`).
"""
