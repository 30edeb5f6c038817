"""Case workflows: LangGraph graphs with human review gates, checkpointed so nothing is lost."""
