"""Snapshots are plain data with a schema version: another version, a tombstone or garbage is a miss."""
import json

from access.store.snapshots import SCHEMA, TOMBSTONE, decoded, encoded


def test_a_snapshot_reads_back_as_the_data_it_was_made_of():
    data = {"columns": [["id", 7], ["name", "Printer"]], "dates": [], "attributes": {}, "related": {}}
    assert decoded(encoded(data)) == data


def test_another_schema_a_tombstone_or_garbage_reads_as_a_miss():
    assert decoded(json.dumps({"v": SCHEMA + 1, "data": {"id": 7}}).encode()) is None
    assert decoded(TOMBSTONE) is None
    assert decoded(b"\x80\x05garbage") is None
    assert decoded(b"[1, 2]") is None
    assert decoded(None) is None
