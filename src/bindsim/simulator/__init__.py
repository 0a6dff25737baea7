"""The clock-controlled world of bindsim and its clients (scenarios, explore, serve, the CLI).

The everyday API is `from bindsim import World, ManualClock, Refused`; this package re-exports
nothing, so that `import bindsim.simulator.cli` (the `bindsim` command) does not load the World.
"""
