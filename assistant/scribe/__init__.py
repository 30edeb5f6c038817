"""Scribe: session transcript → draft progress note, every sentence pointing to its lines."""
