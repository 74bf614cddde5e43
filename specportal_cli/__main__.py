"""``python -m specportal_cli``."""

from .main import main

raise SystemExit(main())
