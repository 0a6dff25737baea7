"""bindsim's benchmarks (not tests): `python -m benchmarks [--quick] [SECTION ...]`."""
