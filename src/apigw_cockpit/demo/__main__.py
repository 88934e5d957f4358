"""`python -m apigw_cockpit.demo` is the simulated AWS server (see `demo.server`)."""

from apigw_cockpit.demo.server import main

raise SystemExit(main())
