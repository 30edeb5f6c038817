"""Graph nodes, one per file; each returns only the keys it changes."""
