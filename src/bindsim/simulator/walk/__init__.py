"""`bindsim walk`: the scenario verbs at an interactive prompt over one World.

prompt (the shell: its loop, session, undo, save, history), grammar (a typed line → a step),
completion (Tab), display (what the prompt shows). commands/walk.py is the click command.
"""
