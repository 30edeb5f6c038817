"""``parity eval all``: run every suite, gate on thresholds, write JSON / Markdown / HTML reports with plots."""
