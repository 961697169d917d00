"""Rules as data for the parts of the core that propose text: ``drafting.yaml`` drafts the measures plan.

The schema is prongsai.rules.schema.DraftingRules; an agency changes what is proposed by editing the file, not code.
"""
