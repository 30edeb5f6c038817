"""Appeals: denial → root cause, route, deadline, and a letter citing the payer's criteria and the record."""
