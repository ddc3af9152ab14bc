"""Where the document templates (MoU, reports) are: one place for every renderer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import TwintuiError

ENV = "TWINTUI_TEMPLATES"


def templates_dir(marker: str, error: type[TwintuiError] = TwintuiError) -> Path:
    """``$TWINTUI_TEMPLATES``, else ``templates/`` of the source tree, else the installed copy.

    ``marker`` is a file the folder must hold (e.g. ``mou.md.j2``); ``error`` is raised,
    naming every folder looked in, when none holds it.
    """
    candidates = []
    if os.environ.get(ENV):
        candidates.append(Path(os.environ[ENV]).expanduser())
    candidates.append(Path(__file__).resolve().parents[2] / "templates")
    candidates.append(Path(sys.prefix) / "share" / "twintui" / "templates")
    for folder in candidates:
        if (folder / marker).is_file():
            return folder
    raise error(f"the template {marker} was not found (looked in {', '.join(str(c) for c in candidates)}); "
                f"set {ENV} to the templates folder")
