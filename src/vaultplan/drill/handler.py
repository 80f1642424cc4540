"""The drill's two Lambda entry points: :func:`orchestrate` (the EventBridge target) and
:func:`check` (runs :func:`~vaultplan.drill.validate.validate_tree` on the restored mount).

Why two functions. A function mounts EFS through an access point fixed in its configuration
(``FileSystemConfigs``), but a restore test restores into a *new* file system, created by the
restore job, with no mount target and no access point: nothing of it exists at deploy time.
So, for each completed restore job of the plan (EventBridge ``Restore Job State Change``,
https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html), ``orchestrate``,
which runs outside the VPC so it reaches the AWS APIs without a NAT gateway or endpoints:

1. reads the job (``DescribeRestoreJob``): it must be COMPLETED, EFS, and created by this
   plan (``CreatedBy.RestoreTestingPlanArn``); the new file system is ``CreatedResourceArn``;
2. reports VALIDATING, tags the file system (the tag scopes every later EFS permission), creates
   a mount target in each drill subnet and an access point (uid/gid 0, root ``/``), and waits
   for them;
3. points the checker's ``FileSystemConfigs`` at that access point
   (``UpdateFunctionConfiguration``), waits for the update, invokes the checker synchronously,
   and gets its report; the checker reads only: no AWS call, no network but NFS;
4. detaches the checker, deletes the access point and the mount targets (AWS Backup deletes the
   restored file system once the validation is reported, which EFS refuses while it has mount
   targets), and only then calls ``PutRestoreValidationResult``
   (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html)
   with SUCCESSFUL or FAILED and the report's message; a checker that times out gives
   TIMED_OUT, any error FAILED with the step it failed at.

The orchestrator has a reserved concurrency of 1, so two restore jobs (two file systems) never
reconfigure the one checker at once: Lambda keeps the second event and retries it (up to 6
hours, its default maximum event age).

boto3 is the Lambda runtime's: ``PutRestoreValidationResult`` is in botocore since restore
testing launched (November 2023), and the Python 3.13 runtime is newer than that, so nothing
is bundled. The restore testing guide's note that the runtime SDK may lack the call is about
the Node.js SDK; if a runtime's botocore still lacked it, the call fails and the error is in
the function's log.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # in the package
    from vaultplan.drill.validate import Expectations, validate_tree
except ImportError:  # in the Lambda, where this folder is the code root
    from validate import Expectations, validate_tree  # type: ignore[no-redef,import-not-found]

__all__ = ["Drill", "check", "orchestrate"]

MOUNT_PATH = "/mnt/restored"
"""Where the checker mounts the restored file system (Lambda wants a path under /mnt)."""
TAG_KEY = "vaultplan:drill"
"""The tag the orchestrator puts on the restored file system and its access point."""


def check(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """The checker: validate the mounted tree against ``EXPECTATIONS`` (JSON) from the env."""
    expectations = Expectations.from_json(json.loads(os.environ.get("EXPECTATIONS", "{}")))
    report = validate_tree(Path(os.environ.get("MOUNT_PATH", MOUNT_PATH)), expectations)
    return {"status": report.status, "message": report.message()}


class Drill:
    """One restore job's drill; ``clients(name)`` gives a boto3 client (tests give stubs)."""

    def __init__(
        self,
        env: dict[str, str],
        clients: Callable[[str], Any],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.plan_arn = env["RESTORE_TESTING_PLAN_ARN"]
        self.tag_value = env["DRILL_TAG"]
        self.checker = env["CHECKER_FUNCTION"]
        self.subnets = [s for s in env["SUBNET_IDS"].split(",") if s]
        self.security_group = env["MOUNT_SECURITY_GROUP"]
        self.backup = clients("backup")
        self.efs = clients("efs")
        self.lambda_ = clients("lambda")
        self.sleep = sleep
        self.step = "start"
        self.mount_targets: list[str] = []
        self.access_point: str | None = None
        self.attached = False

    def _wait(self, what: str, done: Callable[[], bool], timeout: float = 300) -> None:
        waited = 0.0
        while not done():
            if waited >= timeout:
                raise TimeoutError(f"{what} not ready after {int(timeout)} s")
            self.sleep(5)
            waited += 5

    def run(self, event: dict[str, Any]) -> dict[str, Any]:
        """Validate the restore job the event names; the result reported, or why skipped."""
        job_id = (event.get("detail") or {}).get("restoreJobId")
        if not job_id:
            return {"skipped": "the event names no restoreJobId"}
        job = self.backup.describe_restore_job(RestoreJobId=job_id)
        if (job.get("CreatedBy") or {}).get("RestoreTestingPlanArn") != self.plan_arn:
            return {"skipped": f"{job_id} was not started by {self.plan_arn}"}
        if job.get("Status") != "COMPLETED" or job.get("ResourceType") != "EFS":
            return {"skipped": f"{job_id} is {job.get('Status')} {job.get('ResourceType')}"}
        file_system = str(job["CreatedResourceArn"]).rsplit("/", 1)[-1]
        self._report(job_id, "VALIDATING", f"vaultplan drill: mounting {file_system}")
        status, message = "FAILED", "vaultplan drill: no result"
        try:
            result = self._mount_and_check(file_system, job_id)
            status, message = result["status"], result["message"]
        except Exception as err:  # every failure is reported on the job, never lost
            message = f"vaultplan drill failed at {self.step}: {type(err).__name__}: {err}"
        finally:
            cleanup = self._clean_up(file_system)
        if cleanup:
            status = "FAILED" if status == "SUCCESSFUL" else status
            message = f"{message}; clean-up: {cleanup}"
        self._report(job_id, status, message)
        return {"restoreJobId": job_id, "status": status, "message": message}

    def _report(self, job_id: str, status: str, message: str) -> None:
        self.backup.put_restore_validation_result(
            RestoreJobId=job_id, ValidationStatus=status, ValidationStatusMessage=message[:1000]
        )

    def _mount_and_check(self, file_system: str, job_id: str) -> dict[str, Any]:
        self.step = "tagging the restored file system"
        self.efs.tag_resource(
            ResourceId=file_system, Tags=[{"Key": TAG_KEY, "Value": self.tag_value}]
        )
        self.step = "creating mount targets"
        for subnet in self.subnets:
            made = self.efs.create_mount_target(
                FileSystemId=file_system, SubnetId=subnet, SecurityGroups=[self.security_group]
            )
            self.mount_targets.append(made["MountTargetId"])
        self._wait("mount targets", lambda: self._mount_targets_in({"available"}, file_system))
        self.step = "creating the access point"
        point = self.efs.create_access_point(
            ClientToken=job_id[:64],
            FileSystemId=file_system,
            PosixUser={"Uid": 0, "Gid": 0},
            RootDirectory={"Path": "/"},
            Tags=[{"Key": TAG_KEY, "Value": self.tag_value}],
        )
        self.access_point = point["AccessPointId"]
        self._wait("access point", lambda: self._access_point_state() == "available")
        self.step = "attaching the checker"
        self.lambda_.update_function_configuration(
            FunctionName=self.checker,
            FileSystemConfigs=[{"Arn": point["AccessPointArn"], "LocalMountPath": MOUNT_PATH}],
        )
        self.attached = True
        self._wait("checker update", self._checker_updated)
        self.step = "running the checker"
        answer = self.lambda_.invoke(FunctionName=self.checker, Payload=b"{}")
        body = answer["Payload"].read()
        if answer.get("FunctionError"):
            why = body[:500].decode(errors="replace")
            return {
                "status": "TIMED_OUT" if b"Task timed out" in body else "FAILED",
                "message": f"vaultplan drill: the checker failed: {why}",
            }
        result: dict[str, Any] = json.loads(body)
        return result

    def _mount_targets_in(self, states: set[str], file_system: str) -> bool:
        found = self.efs.describe_mount_targets(FileSystemId=file_system)["MountTargets"]
        mine = [m for m in found if m["MountTargetId"] in self.mount_targets]
        return all(m["LifeCycleState"] in states for m in mine)

    def _access_point_state(self) -> str:
        points = self.efs.describe_access_points(AccessPointId=self.access_point)["AccessPoints"]
        return str(points[0]["LifeCycleState"]) if points else "missing"

    def _checker_updated(self) -> bool:
        config = self.lambda_.get_function_configuration(FunctionName=self.checker)
        if config.get("LastUpdateStatus") == "Failed":
            raise RuntimeError(f"checker update failed: {config.get('LastUpdateStatusReason')}")
        return config.get("LastUpdateStatus") in (None, "Successful")

    def _clean_up(self, file_system: str) -> str:
        """Undo what :meth:`_mount_and_check` made; what could not be undone ('' if all)."""
        left: list[str] = []
        for what, undo in (
            ("detach the checker", self._detach),
            ("delete the access point", self._delete_access_point),
            ("delete the mount targets", lambda: self._delete_mount_targets(file_system)),
        ):
            try:
                undo()
            except Exception as err:  # keep undoing the rest
                left.append(f"could not {what}: {type(err).__name__}: {err}")
        return "; ".join(left)

    def _detach(self) -> None:
        if self.attached:
            self.lambda_.update_function_configuration(
                FunctionName=self.checker, FileSystemConfigs=[]
            )
            self._wait("checker update", self._checker_updated)
            self.attached = False

    def _delete_access_point(self) -> None:
        if self.access_point is not None:
            self.efs.delete_access_point(AccessPointId=self.access_point)
            self.access_point = None

    def _delete_mount_targets(self, file_system: str) -> None:
        for target in self.mount_targets:
            self.efs.delete_mount_target(MountTargetId=target)

        def gone() -> bool:
            found = self.efs.describe_mount_targets(FileSystemId=file_system)["MountTargets"]
            return not {m["MountTargetId"] for m in found} & set(self.mount_targets)

        self._wait("mount target deletion", gone)
        self.mount_targets = []


def _boto3_client(name: str) -> Any:
    import boto3  # type: ignore[import-not-found]  # the Lambda runtime's
    from botocore.config import Config

    # The checker may run for up to its timeout: the synchronous invoke must wait as long.
    return boto3.client(name, config=Config(read_timeout=900, retries={"max_attempts": 3}))


def orchestrate(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """The EventBridge target: run the drill for the restore job the event names."""
    return Drill(dict(os.environ), _boto3_client).run(event)
