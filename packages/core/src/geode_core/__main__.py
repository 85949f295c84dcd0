import sys

from geode_core.cli import main

sys.exit(main())
