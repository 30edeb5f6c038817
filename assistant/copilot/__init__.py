"""Documentation co-pilot: a payer's checklist for a progress note, with evidence and suggestions."""
