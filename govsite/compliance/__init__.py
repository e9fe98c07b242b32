"""Publishing compliance (issue 8): content rules, findings and the compliance report."""
