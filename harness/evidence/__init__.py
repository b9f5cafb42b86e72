"""Evidence: the bundle of one certification run, and the signed certificate about it."""
