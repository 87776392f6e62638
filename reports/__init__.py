"""reports: verdicts + results + analysis -> figures -> report.md / .html / .pdf."""
