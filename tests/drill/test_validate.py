"""The drill's validation module on real temporary trees: what a restored file system holds."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from vaultplan.drill.validate import MESSAGE_LIMIT, Expectations, data_root, validate_tree


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def restored(tmp_path: Path) -> Path:
    """A file system as AWS Backup restores it: the data in aws-backup-restore_<datetime>/."""
    data = tmp_path / "aws-backup-restore_2026-01-04T12-00-00-000Z"
    (data / "db").mkdir(parents=True)
    (data / "db" / "index.db").write_bytes(b"x" * 100)
    (data / "README").write_text("hello\n")
    (data / "MANIFEST.sha256").write_text(
        f"{sha(b'x' * 100)}  db/index.db\n{sha(b'hello' + bytes([10]))} *README\n"
    )
    return tmp_path


def test_a_good_tree_passes_every_check(restored: Path) -> None:
    report = validate_tree(
        restored,
        Expectations(
            expect_paths=("db/index.db", "/README", "db"),
            min_file_count=3,
            min_total_bytes=106,
            checksum_manifest="MANIFEST.sha256",
        ),
    )
    assert report.problems == ()
    assert (report.status, report.file_count, report.checked_files) == ("SUCCESSFUL", 3, 2)
    assert report.message().startswith("ok: 3 files, ")
    assert report.root.endswith("aws-backup-restore_2026-01-04T12-00-00-000Z")


def test_the_data_root_is_the_mount_when_it_holds_more_than_the_recovery_directory(
    restored: Path,
) -> None:
    (restored / "other").write_text("")
    assert data_root(restored) == restored


def test_missing_paths_and_too_few_files_or_bytes_are_each_a_problem(restored: Path) -> None:
    report = validate_tree(
        restored,
        Expectations(expect_paths=("db/gone.db", "db"), min_file_count=4, min_total_bytes=10**6),
    )
    assert report.status == "FAILED"
    assert report.problems == (
        "missing db/gone.db",
        "3 files, expected at least 4",
        f"{report.total_bytes} bytes, expected at least 1000000",
    )


def test_an_empty_tree_fails_a_minimum_file_count(tmp_path: Path) -> None:
    report = validate_tree(tmp_path, Expectations(min_file_count=1))
    assert report.problems == ("0 files, expected at least 1",)
    assert report.message().startswith("1 problem(s): 0 files, expected at least 1 (0 files")


def test_an_empty_tree_passes_when_nothing_is_expected(tmp_path: Path) -> None:
    assert validate_tree(tmp_path, Expectations()).ok


def test_a_checksum_mismatch_names_the_file(restored: Path) -> None:
    (data_root(restored) / "README").write_text("changed\n")
    report = validate_tree(restored, Expectations(checksum_manifest="MANIFEST.sha256"))
    assert len(report.problems) == 1
    assert report.problems[0].startswith("README: sha256 ")
    assert report.checked_files == 1


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        pytest.param("nonsense\n", "MANIFEST.sha256 line 1: not '<sha256>  <path>'", id="format"),
        pytest.param(f"{'0' * 64}  ../etc/passwd\n", "'..' would leave", id="escape"),
        pytest.param(f"{'0' * 64}  db/none\n", "can't read db/none: No such file", id="missing"),
        pytest.param("\n\n", "checksum manifest MANIFEST.sha256 lists no file", id="empty"),
    ],
)
def test_a_bad_manifest_line_is_a_problem_not_a_crash(
    restored: Path, manifest: str, problem: str
) -> None:
    (data_root(restored) / "MANIFEST.sha256").write_text(manifest)
    report = validate_tree(restored, Expectations(checksum_manifest="MANIFEST.sha256"))
    assert len(report.problems) == 1
    assert problem in report.problems[0]


def test_a_missing_manifest_is_a_problem(restored: Path) -> None:
    report = validate_tree(restored, Expectations(checksum_manifest="nope.sha256"))
    assert report.problems == (
        "can't read checksum manifest nope.sha256: No such file or directory",
    )


def test_unreadable_files_and_directories_are_problems(
    restored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = data_root(restored)
    locked = root / "locked"
    locked.mkdir()
    unreadable = {str(root / "db" / "index.db"), str(locked)}
    if os.geteuid() == 0:  # root reads any file whatever its mode: refuse these two instead
        real_open, real_scandir = open, os.scandir

        def deny(path: object) -> None:
            if str(path) in unreadable:
                raise PermissionError(13, "Permission denied", str(path))

        def fake_open(path: object, *args: object, **kwargs: object) -> object:
            deny(path)
            return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

        def fake_scandir(path: object = ".") -> object:
            deny(path)
            return real_scandir(path)  # type: ignore[call-overload]

        monkeypatch.setattr("builtins.open", fake_open)
        monkeypatch.setattr(os, "scandir", fake_scandir)
    for path in unreadable:
        Path(path).chmod(0)
    try:
        report = validate_tree(restored, Expectations(checksum_manifest="MANIFEST.sha256"))
    finally:
        locked.chmod(0o755)
        (root / "db" / "index.db").chmod(0o644)
    assert report.problems[0] == f"can't read directory {locked}: Permission denied"
    assert "can't read db/index.db: Permission denied" in report.problems


def test_a_symlink_loop_neither_traps_the_walk_nor_counts(restored: Path) -> None:
    root = data_root(restored)
    (root / "loop").symlink_to(root / "loop")
    (root / "db" / "up").symlink_to(root, target_is_directory=True)
    (root / "MANIFEST.sha256").write_text(f"{'0' * 64}  loop\n")
    report = validate_tree(
        restored,
        Expectations(
            expect_paths=("loop", "loop/x"), min_file_count=3, checksum_manifest="MANIFEST.sha256"
        ),
    )
    assert report.file_count == 3
    assert report.problems == (
        "missing loop/x",
        "can't read loop: Too many levels of symbolic links",
    )


def test_a_mount_that_is_not_a_directory_fails(tmp_path: Path) -> None:
    report = validate_tree(tmp_path / "absent", Expectations())
    assert report.problems == (f"{tmp_path / 'absent'} is not a directory",)


def test_the_message_is_cut_to_the_limit(tmp_path: Path) -> None:
    many = tuple(f"missing-{i:04}" for i in range(500))
    report = validate_tree(tmp_path, Expectations(expect_paths=many))
    assert len(report.message()) == MESSAGE_LIMIT
    assert report.message().endswith("...")
