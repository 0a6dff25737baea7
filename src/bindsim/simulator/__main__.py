import sys

from bindsim.simulator.cli import main

sys.exit(main())
