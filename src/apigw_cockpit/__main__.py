import sys

from apigw_cockpit.cli import main

sys.exit(main())
