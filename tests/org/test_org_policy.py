"""``vaultplan org policy`` without ``--out``: the strategy as an AWS Organizations backup policy.

The expected shapes are the documented syntax ("Backup policy syntax and examples", AWS
Organizations user guide): plans under their name, every leaf in ``@@assign``, copy actions
keyed by the destination ARN with ``target_backup_vault_arn`` inside, a selection of ``tags``
or ``resources``, ``iam_role_arn`` through ``$account``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_support import ROOT, invoke, one_error
from vaultplan.errors import InputError
from vaultplan.org.policy import split_policies

TAG_SELECTION = """
[file_system]
create = false
[selection.conditions]
string_equals = { backup = "true" }
[org]
regions = ["us-east-1", "eu-west-1"]
target_ids = ["ou-ab12-11111111"]
"""


def policy_of(tmp_path: Path, text: str) -> tuple[str, dict[str, Any]]:
    """The text ``vaultplan org policy`` prints for a config holding ``text``, and its JSON."""
    (tmp_path / "vaultplan.toml").write_text(text)
    result = invoke("org", "policy", "--config", str(tmp_path / "vaultplan.toml"))
    assert result.code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    return line, json.loads(line)


def leaves(node: object, path: str = "") -> list[tuple[str, object]]:
    """Every value that is not an operator's map: (its path, the node holding it)."""
    if not isinstance(node, dict):
        return [(path, node)]
    if any(key.startswith("@@") for key in node):
        return []
    return [leaf for key, value in node.items() for leaf in leaves(value, f"{path}.{key}")]


def test_the_default_strategy_with_a_tag_selection_is_a_documented_policy(
    tmp_path: Path,
) -> None:
    # GIVEN the default config with an [org] section and a tag selection
    # WHEN vaultplan org policy prints it
    text, policy = policy_of(tmp_path, TAG_SELECTION)
    # THEN it is the plan under its name, every leaf wrapped in @@assign, minified, well under
    # the 10,000 characters a backup policy holds
    assert policy == {
        "plans": {
            "exampleEFSBackupPlan": {
                "regions": {"@@assign": ["us-east-1", "eu-west-1"]},
                "rules": {
                    "exampleDailyWarmBackup": {
                        "schedule_expression": {"@@assign": "cron(0 8 * * ? *)"},
                        "target_backup_vault_name": {"@@assign": "example"},
                        "lifecycle": {"delete_after_days": {"@@assign": "35"}},
                    },
                    "exampleMonthlyColdBackup": {
                        "schedule_expression": {"@@assign": "cron(0 8 1 * ? *)"},
                        "target_backup_vault_name": {"@@assign": "example"},
                        "lifecycle": {
                            "move_to_cold_storage_after_days": {"@@assign": "30"},
                            "delete_after_days": {"@@assign": "365"},
                        },
                    },
                },
                "selections": {
                    "tags": {
                        "exampleEFS": {
                            "iam_role_arn": {
                                "@@assign": "arn:aws:iam::$account:role/example-backup-role"
                            },
                            "tag_key": {"@@assign": "backup"},
                            "tag_value": {"@@assign": ["true"]},
                        }
                    }
                },
            }
        }
    }
    assert leaves(policy) == []
    assert text == json.dumps(policy, separators=(",", ":"))
    assert len(text) < 10_000


def test_the_example_has_copy_actions_keyed_by_arn_tags_and_windows(tmp_path: Path) -> None:
    _, policy = policy_of(tmp_path, (ROOT / "examples" / "org.toml").read_text())
    (plan,) = policy["plans"].values()
    daily = plan["rules"]["shopDailyWarmBackup"]
    central = "arn:aws:backup:eu-central-1:222222222222:backup-vault:shop-central"
    # the key is the destination ARN, and the same ARN is inside (else AWS lowercases the key)
    assert daily["copy_actions"] == {
        central: {
            "target_backup_vault_arn": {"@@assign": central},
            "lifecycle": {"delete_after_days": {"@@assign": "35"}},
        }
    }
    assert daily["start_backup_window_minutes"] == {"@@assign": "60"}
    assert daily["complete_backup_window_minutes"] == {"@@assign": "600"}
    assert daily["recovery_point_tags"] == {
        "team": {"tag_key": {"@@assign": "team"}, "tag_value": {"@@assign": "storage"}}
    }
    assert plan["backup_plan_tags"] == daily["recovery_point_tags"]
    assert leaves(policy) == []


def test_a_copy_into_the_home_accounts_vault_becomes_account(tmp_path: Path) -> None:
    # GIVEN a copy into the config's own account, in another Region
    _, policy = policy_of(
        tmp_path,
        'account = "111111111111"\n[[rules]]\nname = "Daily"\nschedule = "cron(0 5 * * ? *)"\n'
        "delete_after_days = 35\n[[rules.copy_actions]]\n"
        'destination_vault_arn = "arn:aws:backup:eu-west-1:111111111111:backup-vault:example"\n'
        + TAG_SELECTION,
    )
    # THEN each account copies into its own vault there: $account, in the key and inside
    (rule,) = policy["plans"]["exampleEFSBackupPlan"]["rules"].values()
    arn = "arn:aws:backup:eu-west-1:$account:backup-vault:example"
    assert rule["copy_actions"] == {arn: {"target_backup_vault_arn": {"@@assign": arn}}}


def test_patterns_exclusions_and_conditions_are_a_resources_selection(tmp_path: Path) -> None:
    # GIVEN resource-type patterns, an excluded pattern, and two conditions (AND'ed)
    _, policy = policy_of(
        tmp_path,
        "[plan]\nwindows_vss = 'enabled'\n"
        + TAG_SELECTION.replace(
            "[selection.conditions]",
            '[selection]\narns = ["arn:aws:elasticfilesystem:*:*:file-system/*", '
            '"arn:aws:ec2:*:*:instance/*"]\nexclude_arns = ["arn:aws:ec2:*:*:volume/*"]\n'
            '[selection.conditions]\nstring_like = { env = ["prod*", "live*"] }',
        ),
    )
    (plan,) = policy["plans"].values()
    # THEN the patterns are resource_types, with not_resource_types and every condition
    assert plan["selections"] == {
        "resources": {
            "exampleEFS": {
                "iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/example-backup-role"},
                "resource_types": {
                    "@@assign": [
                        "arn:aws:elasticfilesystem:*:*:file-system/*",
                        "arn:aws:ec2:*:*:instance/*",
                    ]
                },
                "not_resource_types": {"@@assign": ["arn:aws:ec2:*:*:volume/*"]},
                "conditions": {
                    "string_equals": {
                        "string_equals_backup": {
                            "condition_key": {"@@assign": "aws:ResourceTag/backup"},
                            "condition_value": {"@@assign": "true"},
                        }
                    },
                    "string_like": {
                        "string_like_env": {
                            "condition_key": {"@@assign": "aws:ResourceTag/env"},
                            "condition_value": {"@@assign": "prod*"},
                        },
                        "string_like_env_2": {
                            "condition_key": {"@@assign": "aws:ResourceTag/env"},
                            "condition_value": {"@@assign": "live*"},
                        },
                    },
                },
            }
        }
    }
    assert plan["advanced_backup_settings"] == {"ec2": {"windows_vss": {"@@assign": "enabled"}}}


def test_archive_index_and_scan_actions_with_the_plans_scan_settings(tmp_path: Path) -> None:
    _, policy = policy_of(
        tmp_path,
        '[[rules]]\nname = "Monthly"\nschedule = "cron(0 5 1 * ? *)"\n'
        "move_to_cold_storage_after_days = 30\ndelete_after_days = 365\narchive = true\n"
        'index_resource_types = ["EBS"]\nmalware_scan_mode = "INCREMENTAL_SCAN"\n'
        "[plan.malware_scanning]\n" + TAG_SELECTION,
    )
    (plan,) = policy["plans"].values()
    (rule,) = plan["rules"].values()
    assert rule["lifecycle"]["opt_in_to_archive_for_supported_resources"] == {"@@assign": True}
    assert rule["index_actions"] == {"resource_types": {"@@assign": ["EBS"]}}
    assert rule["scan_actions"] == {"GUARDDUTY": {"scan_mode": {"@@assign": "INCREMENTAL_SCAN"}}}
    assert plan["scan_settings"] == {
        "GUARDDUTY": {
            "resource_types": {"@@assign": ["EBS", "EC2", "S3"]},
            "scanner_role_arn": {"@@assign": "arn:aws:iam::$account:role/example-backup-scanner"},
        }
    }


def test_regions_of_another_partition_give_its_arns(tmp_path: Path) -> None:
    _, policy = policy_of(
        tmp_path, TAG_SELECTION.replace('"us-east-1", "eu-west-1"', '"cn-north-1"')
    )
    (plan,) = policy["plans"].values()
    role = plan["selections"]["tags"]["exampleEFS"]["iam_role_arn"]["@@assign"]
    assert role == "arn:aws-cn:iam::$account:role/example-backup-role"


NO_FS = '[file_system]\ncreate = false\n[org]\nregions = ["us-east-1"]\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            '[selection.conditions]\nstring_equals = { backup = "true" }\n[org]\n'
            'regions = ["us-east-1"]\n',
            "file_system.create: got true; a backup policy can't create a file system or name "
            "the one this stack would create: set file_system.create = false",
            id="created-file-system",
        ),
        pytest.param(
            '[file_system]\nids = ["fs-0123456789abcdef0"]\n[org]\nregions = ["us-east-1"]\n',
            "file_system.ids[0]: got 'fs-0123456789abcdef0'; a backup policy can't name a file "
            "system (each account has its own): tag the file systems and select them by tag",
            id="file-system-id",
        ),
        pytest.param(
            NO_FS.replace(
                "[org]",
                '[selection]\narns = ["arn:aws:dynamodb:us-east-1:111111111111:'
                'table/orders"]\n[org]',
            ),
            "selection.arns[0]: got 'arn:aws:dynamodb:us-east-1:111111111111:table/orders'; a "
            "backup policy can't name specific resources (each account has its own), only "
            "resource-type patterns such as 'arn:aws:elasticfilesystem:*:*:file-system/*' or "
            "'*': tag the resources and select them by tag instead, e.g. "
            'selection.conditions.string_equals = { backup = "true" }',
            id="specific-arn",
        ),
        pytest.param(
            NO_FS.replace(
                "[org]",
                '[selection]\narns = ["*"]\nexclude_arns = '
                '["arn:aws:ec2:us-east-1:111111111111:volume/vol-0123456789abcdef0"]\n[org]',
            ),
            "selection.exclude_arns[0]: got 'arn:aws:ec2:us-east-1:111111111111:volume/"
            "vol-0123456789abcdef0'; a backup policy can't name specific resources",
            id="specific-exclusion",
        ),
        pytest.param(
            NO_FS.replace("[org]", '[selection]\narns = ["arn:aws-cn:ec2:*:*:volume/*"]\n[org]'),
            "selection.arns[0]: got 'arn:aws-cn:ec2:*:*:volume/*'; org.regions are in the "
            "partition 'aws': write arn:aws:...",
            id="other-partition",
        ),
        pytest.param(
            '[[rules]]\nname = "D"\nschedule = "cron(0 5 * * ? *)"\n'
            'schedule_timezone = "Europe/Paris"\n' + TAG_SELECTION,
            "rules[0].schedule_timezone: got 'Europe/Paris'; a backup policy's schedules are in "
            "UTC (it has no time-zone element): write the cron in UTC",
            id="time-zone",
        ),
        pytest.param(
            '[vault]\nexisting = "Default"\n[notifications]\nenabled = false\n' + TAG_SELECTION,
            "vault.existing: got 'Default'; the member-account stack creates the vault",
            id="existing-vault",
        ),
        pytest.param(
            '[vault]\nkms_key = "arn:aws:kms:us-east-1:111111111111:key/'
            '1234abcd-12ab-34cd-56ef-1234567890ab"\n' + TAG_SELECTION,
            "vault.kms_key: got 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-"
            "1234567890ab'; a key ARN names one account's key",
            id="key-arn",
        ),
        pytest.param(
            '[plan.malware_scanning]\nscanner_role_arn = "arn:aws:iam::111111111111:role/S"\n'
            '[[rules]]\nname = "D"\nschedule = "cron(0 5 * * ? *)"\n'
            'malware_scan_mode = "FULL_SCAN"\n' + TAG_SELECTION,
            "plan.malware_scanning.scanner_role_arn: got 'arn:aws:iam::111111111111:role/S'; a "
            "backup policy names the scanner role in each account ($account)",
            id="scanner-role",
        ),
        pytest.param(
            "[vault.air_gapped]\nmin_retention_days = 7\n" + TAG_SELECTION,
            "vault.air_gapped: got a table; the member-account stack makes no logically "
            "air-gapped vault",
            id="air-gapped",
        ),
        pytest.param(
            '[[rules]]\nname = "Daily"\nschedule = "cron(0 5 * * ? *)"\n[[rules]]\nname = "DAILY"\n'
            'schedule = "cron(0 6 * * ? *)"\n' + TAG_SELECTION,
            "rules[1].name: got 'DAILY', and rules[0] is 'Daily'; a backup policy's keys are read "
            "without regard to case",
            id="rule-names-by-case",
        ),
        pytest.param(
            TAG_SELECTION.split("[org]")[0],
            "org: no [org] section in ",
            id="no-org",
        ),
        pytest.param(
            TAG_SELECTION.replace('"ou-ab12-11111111"', '"ou-AB12-1"'),
            "org.target_ids[0]: got 'ou-AB12-1'; attach a policy to a root",
            id="target-id",
        ),
        pytest.param(
            TAG_SELECTION.replace('"eu-west-1"', '"eu-west-9"'),
            "org.regions[1]: got 'eu-west-9'; did you mean 'eu-west-3'?",
            id="region",
        ),
        pytest.param(
            TAG_SELECTION + 'policy_name = ""\n',
            "org.policy_name: got ''; a policy name is 1 to 128 characters",
            id="policy-name",
        ),
        pytest.param(
            TAG_SELECTION + "colour = 1\n",
            "org.colour: unknown key (value 1); allowed keys here: regions, target_ids, "
            "policy_name, description, plan_tags",
            id="unknown-key",
        ),
    ],
)
def test_what_a_policy_cant_express_is_one_line_saying_what_to_write(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "vaultplan.toml").write_text(text)
    for args in ((), ("--out", str(tmp_path / "out"))):
        line = one_error(
            invoke("org", "policy", "--config", str(tmp_path / "vaultplan.toml"), *args)
        )
        assert line.startswith(f"error: {message}"), line
    assert not (tmp_path / "out").exists()


def big_plan(site: str, copies: int = 5, tags: int = 10) -> str:
    """A config of one plan of 10 rules, each with ``copies`` copy actions and ``tags``
    recovery point tags (at most 5 and 10: AWS Backup's quotas)."""
    rules = ""
    for r in range(10):
        rules += f'[[rules]]\nname = "Rule{r}"\nschedule = "cron(0 {r} * * ? *)"\n'
        rules += "delete_after_days = 35\nrecovery_point_tags = { "
        rules += ", ".join(f'tag{t} = "value{t}"' for t in range(tags)) + " }\n"
        for c in range(copies):
            rules += "[[rules.copy_actions]]\n"
            rules += f'destination_vault_arn = "arn:aws:backup:eu-west-{c % 3 + 1}:22222222222{c}'
            rules += f':backup-vault:{site}-copies"\ndelete_after_days = 35\n'
    return f'site_name = "{site}"\n' + rules + TAG_SELECTION


def test_plans_over_10000_characters_together_split_into_one_policy_each(
    tmp_path: Path,
) -> None:
    # GIVEN two plans of about 6,000 characters each, in one document
    plans: dict[str, Any] = {}
    for site in ("alpha", "beta"):
        work = tmp_path / site
        work.mkdir()
        _, policy = policy_of(work, big_plan(site, copies=2, tags=3))
        plans |= policy["plans"]
    one = json.dumps({"plans": plans}, separators=(",", ":"))
    assert len(one) > 10_000
    # WHEN it is split
    parts = split_policies({"plans": plans})
    # THEN each plan is a policy of its own, each under the limit
    assert [list(p["plans"]) for p in parts] == [["alphaEFSBackupPlan"], ["betaEFSBackupPlan"]]
    assert all(len(json.dumps(p, separators=(",", ":"))) <= 10_000 for p in parts)
    # and one small document stays whole
    (whole,) = split_policies({"plans": {"alphaEFSBackupPlan": plans["alphaEFSBackupPlan"]}})
    assert whole == {"plans": {"alphaEFSBackupPlan": plans["alphaEFSBackupPlan"]}}


def test_a_plan_over_10000_characters_alone_is_refused_with_its_size(tmp_path: Path) -> None:
    # GIVEN one plan at AWS Backup's quotas: 10 rules, each with 5 copy actions and 10 tags
    text = big_plan("gamma")
    (tmp_path / "vaultplan.toml").write_text(text)
    line = one_error(invoke("org", "policy", "--config", str(tmp_path / "vaultplan.toml")))
    assert line.startswith("error: policy: the plan gammaEFSBackupPlan alone is "), line
    assert line.endswith(
        "characters as a backup policy, over AWS Organizations' limit of 10,000 per policy; "
        "use fewer rules, copy actions, tags or conditions"
    )
    size = int(line.split(" alone is ")[1].split(" ")[0].replace(",", ""))
    assert size > 10_000
    with pytest.raises(InputError):
        split_policies({"plans": {"p": {"x": "y" * 10_001}}})


def test_an_out_that_is_a_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "vaultplan.toml").write_text(TAG_SELECTION)
    (tmp_path / "taken").write_text("mine\n")
    result = invoke(
        "org",
        "policy",
        "--config",
        str(tmp_path / "vaultplan.toml"),
        "--out",
        str(tmp_path / "taken"),
    )
    assert (
        one_error(result)
        == f"error: --out: got {str(tmp_path / 'taken')!r}; it is a file, give a folder"
    )
    assert (tmp_path / "taken").read_text() == "mine\n"


def test_each_plan_of_the_config_is_a_plan_of_the_policy(tmp_path: Path) -> None:
    # GIVEN a config with a [[plans]] table beside the top-level plan, each selecting by tag
    text = (
        TAG_SELECTION
        + """
[[plans]]
name = "Databases"
preset = "daily-35"
[plans.selection.conditions]
string_equals = { tier = "db" }
"""
    )
    # WHEN vaultplan org policy prints it
    _, policy = policy_of(tmp_path, text)
    # THEN both plans are in the policy under their AWS names, each with its own rules and
    # its own tag selection under its selection's name
    assert list(policy["plans"]) == ["exampleEFSBackupPlan", "exampleDatabases"]
    databases = policy["plans"]["exampleDatabases"]
    assert list(databases["rules"]) == ["exampleDailyBackup"]
    assert databases["selections"]["tags"]["exampleDatabases"]["tag_key"] == {"@@assign": "tier"}
    assert databases["selections"]["tags"]["exampleDatabases"]["tag_value"] == {"@@assign": ["db"]}
