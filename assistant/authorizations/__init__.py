"""Authorization coordination: role-routed guidance before a concurrent review, with urgency that rises and stops."""
