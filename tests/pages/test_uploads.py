"""The Data page's upload limits, per upload and per visitor (pages/ui/uploads.py)."""

from __future__ import annotations

import io
import zipfile

from pages.ui import uploads as limits


class _Upload(io.BytesIO):
    """What st.file_uploader gives: a file-like object with a name and a size."""

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_an_upload_within_every_limit_passes():
    assert limits.check_upload_limits([_Upload("a.txt", b"Paris talks.")]) is None


def test_a_zip_that_unpacks_past_the_limit_is_refused_before_it_is_read():
    big = b"a" * (limits.MAX_UNZIPPED_MB * 2**20 + 1)
    upload = _Upload("bomb.zip", _zip({"big.txt": big}))
    assert upload.size < limits.MAX_TOTAL_MB * 2**20
    problem = limits.check_upload_limits([upload])
    assert problem is not None and "unpack" in problem
    assert upload.tell() == 0  # left readable from its start for the ingest


def test_a_visitor_past_the_total_or_the_count_is_refused(tmp_path):
    usage = limits.read_usage(tmp_path)
    assert usage == {"bytes": 0, "uploads": 0}
    one = [_Upload("a.txt", b"x" * 1000)]
    for _ in range(limits.MAX_VISITOR_UPLOADS):
        assert limits.check_visitor_limits(one, usage) is None
        usage = limits.record_upload(tmp_path, usage, one)
    assert limits.read_usage(tmp_path) == {
        "bytes": 1000 * limits.MAX_VISITOR_UPLOADS,
        "uploads": limits.MAX_VISITOR_UPLOADS,
    }
    assert "uploads" in limits.check_visitor_limits(one, usage)
    heavy = {"bytes": limits.MAX_VISITOR_MB * 2**20, "uploads": 1}
    assert "MB per visitor" in limits.check_visitor_limits(one, heavy)


def test_a_damaged_usage_file_counts_as_nothing_uploaded(tmp_path):
    (tmp_path / limits.USAGE_FILE).write_text("{not json")
    assert limits.read_usage(tmp_path) == {"bytes": 0, "uploads": 0}
