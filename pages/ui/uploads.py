"""Limits of the Data page's uploads, per upload and per visitor (pure functions, tested).

A hosted link's disk and memory are shared by every visitor: an upload is refused, with the
reason, before anything is written when it or its visitor's uploads so far are over a limit.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

MAX_TOTAL_MB = 50
MAX_FILES = 2000  # uploaded files plus the members of uploaded zips
MAX_UNZIPPED_MB = 200
# Per visitor (one workspace), over all their uploads: a hosted link's disk and memory are
# shared, so one visitor cannot fill them by uploading again and again.
MAX_VISITOR_MB = 200
MAX_VISITOR_UPLOADS = 20
USAGE_FILE = "uploads.json"  # beside the workspace's store: what its visitor uploaded so far


def check_upload_limits(uploads) -> str | None:
    """Why this upload is refused, or None."""
    total = sum(f.size for f in uploads)
    if total > MAX_TOTAL_MB * 2**20:
        return f"the upload is {total / 2**20:.1f} MB; the limit is {MAX_TOTAL_MB} MB"
    n_files = 0
    unzipped = 0
    for f in uploads:
        if f.name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(f) as archive:
                    infos = [i for i in archive.infolist() if not i.is_dir()]
            except zipfile.BadZipFile:
                continue  # ingest names it as rejected
            finally:
                f.seek(0)
            n_files += len(infos)
            unzipped += sum(i.file_size for i in infos)
        else:
            n_files += 1
    if n_files > MAX_FILES:
        return f"the upload holds {n_files:,} files; the limit is {MAX_FILES:,}"
    if unzipped > MAX_UNZIPPED_MB * 2**20:
        return f"the zips unpack to {unzipped / 2**20:.0f} MB; the limit is {MAX_UNZIPPED_MB} MB"
    return None


def read_usage(workspace: Path | None) -> dict:
    """What this workspace's visitor has uploaded so far: {"bytes": …, "uploads": …}."""
    if workspace is None:
        return {"bytes": 0, "uploads": 0}
    try:
        usage = json.loads((workspace / USAGE_FILE).read_text())
        return {"bytes": int(usage.get("bytes", 0)), "uploads": int(usage.get("uploads", 0))}
    except (OSError, ValueError, TypeError, AttributeError):
        return {"bytes": 0, "uploads": 0}


def check_visitor_limits(uploads, usage: dict) -> str | None:
    """Why this visitor may not upload more, or None."""
    if usage["uploads"] >= MAX_VISITOR_UPLOADS:
        return f"this workspace already holds {MAX_VISITOR_UPLOADS} uploads, the limit"
    total = usage["bytes"] + sum(f.size for f in uploads)
    if total > MAX_VISITOR_MB * 2**20:
        return (
            f"this workspace's uploads would reach {total / 2**20:.1f} MB; the limit is "
            f"{MAX_VISITOR_MB} MB per visitor"
        )
    return None


def record_upload(workspace: Path, usage: dict, uploads) -> dict:
    """Add one upload of ``uploads`` to the visitor's usage, saved in ``workspace``."""
    new = {
        "bytes": usage["bytes"] + sum(f.size for f in uploads),
        "uploads": usage["uploads"] + 1,
    }
    (workspace / USAGE_FILE).write_text(json.dumps(new))
    return new
