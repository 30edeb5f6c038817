"""Payer policy knowledge base: ingestion, embeddings, Qdrant store, hybrid search."""
