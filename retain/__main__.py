"""Allow ``python -m retain``."""

from __future__ import annotations

from retain.cli import main

if __name__ == "__main__":
    main()
