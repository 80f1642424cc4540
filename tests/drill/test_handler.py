"""The drill's Lambda entry points with fake AWS clients: the order of the calls, what is
reported on the restore job, and that everything made is undone before the report."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from vaultplan.drill import handler
from vaultplan.drill.handler import TAG_KEY, Drill

PLAN = "arn:aws:backup:eu-west-1:111111111111:restore-testing-plan:siteRestoreTest-abc"
ENV = {
    "RESTORE_TESTING_PLAN_ARN": PLAN,
    "DRILL_TAG": "siteRestoreTest",
    "CHECKER_FUNCTION": "checker",
    "SUBNET_IDS": "subnet-a,subnet-b",
    "MOUNT_SECURITY_GROUP": "sg-mount",
}
FS_ARN = "arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system"
EVENT = {"detail": {"restoreJobId": "job-1", "status": "COMPLETED"}}


class Fake:
    """Every client at once: records (client, method, kwargs), answers from ``self.answers``."""

    def __init__(self, calls: list[tuple[str, str, dict[str, Any]]], name: str) -> None:
        self.calls, self.name = calls, name
        self.job: dict[str, Any] = {
            "Status": "COMPLETED",
            "ResourceType": "EFS",
            "CreatedBy": {"RestoreTestingPlanArn": PLAN},
            "CreatedResourceArn": f"{FS_ARN}/fs-new",
        }
        self.checker: dict[str, Any] = {
            "Payload": json.dumps({"status": "SUCCESSFUL", "message": "ok"})
        }
        self.fail: str | None = None
        self.targets_left = True

    def __getattr__(self, method: str) -> Any:
        def call(**kwargs: Any) -> Any:
            self.calls.append((self.name, method, kwargs))
            if method == self.fail:
                raise RuntimeError(f"{method} refused")
            return self.answer(method, kwargs)

        return call

    def answer(self, method: str, kwargs: dict[str, Any]) -> Any:
        if method == "describe_restore_job":
            return self.job
        if method == "create_mount_target":
            return {"MountTargetId": f"fsmt-{kwargs['SubnetId']}"}
        if method == "describe_mount_targets":
            if any(c[1] == "delete_mount_target" for c in self.calls):
                return {"MountTargets": []}
            made = [c[2]["SubnetId"] for c in self.calls if c[1] == "create_mount_target"]
            return {
                "MountTargets": [
                    {"MountTargetId": f"fsmt-{s}", "LifeCycleState": "available"} for s in made
                ]
            }
        if method == "create_access_point":
            return {"AccessPointId": "fsap-1", "AccessPointArn": "arn:ap/fsap-1"}
        if method == "describe_access_points":
            return {"AccessPoints": [{"LifeCycleState": "available"}]}
        if method == "get_function_configuration":
            return {"LastUpdateStatus": "Successful"}
        if method == "invoke":
            answer = dict(self.checker)
            answer["Payload"] = io.BytesIO(answer["Payload"].encode())
            return answer
        return {}


def run(
    event: dict[str, Any] = EVENT, **fake: Any
) -> tuple[dict[str, Any], list[tuple[str, str, dict[str, Any]]]]:
    calls: list[tuple[str, str, dict[str, Any]]] = []
    clients: dict[str, Fake] = {}

    def client(name: str) -> Fake:
        made = clients.setdefault(name, Fake(calls, name))
        for key, value in fake.items():
            setattr(made, key, value)
        return made

    return Drill(ENV, client, sleep=lambda _: None).run(event), calls


def reports(calls: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return [
        (c[2]["ValidationStatus"], c[2]["ValidationStatusMessage"])
        for c in calls
        if c[1] == "put_restore_validation_result"
    ]


def test_a_good_restore_is_mounted_checked_cleaned_up_then_reported_successful() -> None:
    result, calls = run()
    assert result["status"] == "SUCCESSFUL"
    methods = [
        c[1]
        for c in calls
        if c[1]
        not in {"describe_mount_targets", "describe_access_points", "get_function_configuration"}
    ]
    assert methods == [
        "describe_restore_job",
        "put_restore_validation_result",  # VALIDATING
        "tag_resource",
        "create_mount_target",
        "create_mount_target",
        "create_access_point",
        "update_function_configuration",  # attach
        "invoke",
        "update_function_configuration",  # detach
        "delete_access_point",
        "delete_mount_target",
        "delete_mount_target",
        "put_restore_validation_result",
    ]
    assert reports(calls) == [
        ("VALIDATING", "vaultplan drill: mounting fs-new"),
        ("SUCCESSFUL", "ok"),
    ]
    (tag,) = [c[2] for c in calls if c[1] == "tag_resource"]
    assert tag == {"ResourceId": "fs-new", "Tags": [{"Key": TAG_KEY, "Value": "siteRestoreTest"}]}
    attach, detach = [c[2] for c in calls if c[1] == "update_function_configuration"]
    assert attach["FileSystemConfigs"] == [
        {"Arn": "arn:ap/fsap-1", "LocalMountPath": "/mnt/restored"}
    ]
    assert detach["FileSystemConfigs"] == []


def test_a_job_of_another_plan_is_left_alone() -> None:
    job = {
        "Status": "COMPLETED",
        "ResourceType": "EFS",
        "CreatedBy": {"RestoreTestingPlanArn": "other"},
    }
    result, calls = run(job=job)
    assert "skipped" in result
    assert [c[1] for c in calls] == ["describe_restore_job"]


def test_a_checker_that_times_out_reports_timed_out() -> None:
    checker = {
        "FunctionError": "Unhandled",
        "Payload": '{"errorMessage": "Task timed out after 600 s"}',
    }
    result, calls = run(checker=checker)
    assert result["status"] == "TIMED_OUT"
    assert reports(calls)[-1][0] == "TIMED_OUT"


def test_a_failing_step_is_reported_failed_with_the_step_after_cleaning_up() -> None:
    result, calls = run(fail="create_access_point")
    assert result["status"] == "FAILED"
    assert reports(calls)[-1][1] == (
        "vaultplan drill failed at creating the access point: "
        "RuntimeError: create_access_point refused"
    )
    methods = [c[1] for c in calls]
    assert methods.count("delete_mount_target") == 2
    assert "update_function_configuration" not in methods
    assert methods[-1] == "put_restore_validation_result"


def test_a_failed_clean_up_turns_success_into_failure_and_says_so() -> None:
    result, calls = run(fail="delete_access_point")
    assert result["status"] == "FAILED"
    assert "clean-up: could not delete the access point: RuntimeError" in reports(calls)[-1][1]


def test_the_checker_entry_point_validates_the_mount_from_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").write_text("x")
    monkeypatch.setenv("MOUNT_PATH", str(tmp_path))
    monkeypatch.setenv(
        "EXPECTATIONS", json.dumps({"expect_paths": ["a", "b"], "min_file_count": 1})
    )
    assert handler.check({}) == {
        "status": "FAILED",
        "message": f"1 problem(s): missing b (1 files, 1 bytes under {tmp_path})",
    }
