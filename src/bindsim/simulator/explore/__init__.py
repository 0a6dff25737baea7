"""`bindsim explore`: every reachable state of a cast, checked, and turned into a test suite."""
