"""A policy on gs:// (what a Dataflow job is given): read and validated at launch,
the same policy, to the hash, as the file it was uploaded from."""

from __future__ import annotations

import pytest

from kiyome.policies.policy import PolicyError, load_policy, shipped_policy
from tests.test_gcs import BUCKET, emulator  # noqa: F401  (the storage emulator fixture)


def _upload(name: str, data: bytes) -> str:
    from google.cloud import storage

    storage.Client().bucket(BUCKET).blob(name).upload_from_string(data)
    return f"gs://{BUCKET}/{name}"


def test_policy_from_gs_is_the_uploaded_policy(emulator):  # noqa: F811
    local = shipped_policy("strict")
    remote = load_policy(_upload("policies/strict.yaml", local.read_bytes()))
    expected = load_policy(str(local))
    assert remote.content_hash == expected.content_hash
    assert (remote.name, remote.version, remote.mode) == (
        expected.name, expected.version, expected.mode)


def test_bad_or_missing_policy_on_gs_stops_the_launch(emulator):  # noqa: F811
    bad = _upload("policies/bad.yaml", "name: 壊れた\nentities: 3\n".encode())
    with pytest.raises(PolicyError) as invalid:
        load_policy(bad)
    assert invalid.value.problems and str(invalid.value).startswith(bad)
    missing = f"gs://{BUCKET}/policies/none.yaml"
    with pytest.raises(PolicyError) as unreadable:
        load_policy(missing)
    assert unreadable.value.problems[0].message == "cannot read the policy (NotFound)"
