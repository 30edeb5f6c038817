"""Authorization coordination tests."""
