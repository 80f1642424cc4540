"""Parsing and validating AWS cron expressions: what AWS Backup accepts and what it refuses.

The grammar is EventBridge's (EventBridge user guide, cron expressions,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html);
`rate()` is refused per a maintainer in
https://github.com/hashicorp/terraform-provider-aws/issues/8269. The default schedule is from
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html.
"""

from __future__ import annotations

import pytest

from vaultplan.schedule import AwsCron, CronError, parse_cron

VALID = {
    "seed daily": "cron(0 8 * * ? *)",
    "seed monthly": "cron(0 8 1 * ? *)",
    "AWS default (API_BackupRuleInput)": "cron(0 5 ? * * *)",
    "month and weekday names": "cron(0 5 ? JAN-MAR MON-FRI *)",
    "lower-case names": "cron(0 5 ? jan mon *)",
    "wrap-around weekday range": "cron(0 8 ? * FRI-MON *)",
    "wrap-around month range": "cron(0 8 1 NOV-FEB ? *)",
    "steps": "cron(0 */6 1/10 */2 ? 2026/2)",
    "range with step": "cron(0 8-20/4 * * ? *)",
    "lists": "cron(0,30 8,20 1,15 1,7 ? 2026,2027)",
    "last day": "cron(0 8 L * ? *)",
    "days before the last": "cron(0 8 L-3 * ? *)",
    "last weekday": "cron(0 8 LW * ? *)",
    "nearest weekday": "cron(0 8 15W * ? *)",
    "last Friday": "cron(0 5 ? * 6L *)",
    "last Friday by name": "cron(0 5 ? * FRIL *)",
    "L alone in day-of-week": "cron(0 5 ? * L *)",
    "third Friday": "cron(0 5 ? * 6#3 *)",
    "year bounds (EventBridge cron)": "cron(0 0 1 1 ? 1970-2199)",
    "extra spaces": "  cron(0  8 * * ? *)  ",
    "leading zeros": "cron(00 08 01 01 ? *)",
}


@pytest.mark.parametrize("expression", VALID.values(), ids=VALID.keys())
def test_valid_expressions_parse(expression: str) -> None:
    cron = parse_cron(expression)
    assert isinstance(cron, AwsCron)
    assert cron.expression == expression


INVALID = {
    "rate (terraform-provider-aws#8269)": (
        "rate(1 day)",
        "got 'rate(1 day)'; AWS Backup takes cron() expressions only, not rate(); write the "
        "schedule as cron(minutes hours day-of-month month day-of-week year), "
        "e.g. 'cron(0 5 ? * * *)'",
    ),
    "not cron at all": (
        "every day",
        "got 'every day'; a schedule is a cron() expression with six fields, "
        "cron(minutes hours day-of-month month day-of-week year), e.g. 'cron(0 5 ? * * *)'",
    ),
    "five fields (Unix cron)": (
        "cron(0 8 * * *)",
        "got 'cron(0 8 * * *)'; an AWS cron expression has six fields (minutes hours "
        "day-of-month month day-of-week year), this one has 5 (Unix cron has five fields; AWS "
        "adds the year, and uses '?' in one day field); e.g. 'cron(0 5 ? * * *)'",
    ),
    "seven fields (Quartz seconds)": (
        "cron(0 0 8 * * ? *)",
        "got 'cron(0 0 8 * * ? *)'; an AWS cron expression has six fields (minutes hours "
        "day-of-month month day-of-week year), this one has 7; e.g. 'cron(0 5 ? * * *)'",
    ),
    "neither day field is ? (EventBridge cron)": (
        "cron(0 8 * * * *)",
        "got 'cron(0 8 * * * *)'; exactly one of day-of-month and day-of-week must be '?' "
        "(neither is '?'), e.g. 'cron(0 8 * * ? *)' or 'cron(0 8 ? * MON *)'",
    ),
    "both day fields are ? (EventBridge cron)": (
        "cron(0 8 ? * ? *)",
        "got 'cron(0 8 ? * ? *)'; exactly one of day-of-month and day-of-week must be '?' "
        "(both are '?'), e.g. 'cron(0 8 * * ? *)' or 'cron(0 8 ? * MON *)'",
    ),
    "minute 60 (EventBridge cron)": (
        "cron(60 8 * * ? *)",
        "got 'cron(60 8 * * ? *)'; minutes field '60': 60 is out of range; "
        "the minutes field takes 0-59",
    ),
    "hour 24": (
        "cron(0 24 * * ? *)",
        "got 'cron(0 24 * * ? *)'; hours field '24': 24 is out of range; "
        "the hours field takes 0-23",
    ),
    "day 32": (
        "cron(0 8 32 * ? *)",
        "got 'cron(0 8 32 * ? *)'; day-of-month field '32': 32 is out of range; "
        "the day-of-month field takes 1-31",
    ),
    "day 0": (
        "cron(0 8 0 * ? *)",
        "got 'cron(0 8 0 * ? *)'; day-of-month field '0': 0 is out of range; "
        "the day-of-month field takes 1-31",
    ),
    "month 13": (
        "cron(0 8 1 13 ? *)",
        "got 'cron(0 8 1 13 ? *)'; month field '13': 13 is out of range; "
        "the month field takes 1-12 or JAN-DEC",
    ),
    "weekday 0 (1 = Sunday, EventBridge cron)": (
        "cron(0 8 ? * 0 *)",
        "got 'cron(0 8 ? * 0 *)'; day-of-week field '0': 0 is out of range; "
        "the day-of-week field takes 1-7 or SUN-SAT (1 = Sunday)",
    ),
    "year 1969 (EventBridge cron)": (
        "cron(0 8 * * ? 1969)",
        "got 'cron(0 8 * * ? 1969)'; year field '1969': 1969 is out of range; "
        "the year field takes 1970-2199",
    ),
    "year 2200": (
        "cron(0 8 * * ? 2200)",
        "got 'cron(0 8 * * ? 2200)'; year field '2200': 2200 is out of range; "
        "the year field takes 1970-2199",
    ),
    "unknown month name": (
        "cron(0 8 1 FOO ? *)",
        "got 'cron(0 8 1 FOO ? *)'; month field 'FOO': 'FOO' is not a value; the month field "
        "takes 1-12 or JAN-DEC and the wildcards `, - * /`",
    ),
    "weekday name in month": (
        "cron(0 8 1 MON ? *)",
        "got 'cron(0 8 1 MON ? *)'; month field 'MON': 'MON' is not a value; the month field "
        "takes 1-12 or JAN-DEC and the wildcards `, - * /`",
    ),
    "two # terms (EventBridge cron)": (
        "cron(0 8 ? * 1#2,2#3 *)",
        "got 'cron(0 8 ? * 1#2,2#3 *)'; day-of-week field '1#2,2#3': only one '#' term is "
        "allowed (e.g. '6#3', the third Friday)",
    ),
    "# in a list": (
        "cron(0 8 ? * 1#2,3 *)",
        "got 'cron(0 8 ? * 1#2,3 *)'; day-of-week field '1#2,3': a '#' term is the whole "
        "field, 'n#k' with a weekday n (1-7 or SUN-SAT) and k from 1 to 5, e.g. '6#3'",
    ),
    "sixth week": (
        "cron(0 8 ? * 3#6 *)",
        "got 'cron(0 8 ? * 3#6 *)'; day-of-week field '3#6': 6 is out of range; in 'n#k', k "
        "(which week of the month) is 1-5",
    ),
    "# in day-of-month (EventBridge cron)": (
        "cron(0 8 3#2 * ? *)",
        "got 'cron(0 8 3#2 * ? *)'; day-of-month field '3#2': '#' is not allowed in "
        "day-of-month; it takes 1-31 and the wildcards `, - * ? / L W`",
    ),
    "W in day-of-week (EventBridge cron)": (
        "cron(0 8 ? * 2W *)",
        "got 'cron(0 8 ? * 2W *)'; day-of-week field '2W': 'W' is not allowed in day-of-week; "
        "it takes 1-7 or SUN-SAT (1 = Sunday) and the wildcards `, - * ? L #`",
    ),
    "W in hours": (
        "cron(0 8W * * ? *)",
        "got 'cron(0 8W * * ? *)'; hours field '8W': 'W' is not allowed in hours; it takes "
        "0-23 and the wildcards `, - * /`",
    ),
    "L in minutes": (
        "cron(L 8 * * ? *)",
        "got 'cron(L 8 * * ? *)'; minutes field 'L': 'L' is not allowed in minutes; it takes "
        "0-59 and the wildcards `, - * /`",
    ),
    "L with a day number": (
        "cron(0 8 1L * ? *)",
        "got 'cron(0 8 1L * ? *)'; day-of-month field '1L': 'L' and 'W' are used alone as the "
        "whole field: 'L' (last day), 'L-n' (n days before it), 'LW' (last weekday) or 'nW' "
        "(weekday nearest day n)",
    ),
    "L in a day-of-month list": (
        "cron(0 8 1,L * ? *)",
        "got 'cron(0 8 1,L * ? *)'; day-of-month field '1,L': 'L' and 'W' are used alone as "
        "the whole field: 'L' (last day), 'L-n' (n days before it), 'LW' (last weekday) or "
        "'nW' (weekday nearest day n)",
    ),
    "32W": (
        "cron(0 8 32W * ? *)",
        "got 'cron(0 8 32W * ? *)'; day-of-month field '32W': 32 is out of range; 'nW' takes a "
        "day from 1 to 31",
    ),
    "L-31": (
        "cron(0 8 L-31 * ? *)",
        "got 'cron(0 8 L-31 * ? *)'; day-of-month field 'L-31': 'L-n' takes n from 1 to 30 "
        "(days before the last day of the month)",
    ),
    "L in a day-of-week list": (
        "cron(0 8 ? * 5,L *)",
        "got 'cron(0 8 ? * 5,L *)'; day-of-week field '5,L': 'L' is used as the whole field: "
        "'L' (Saturday, the last day of the week) or 'nL' (the last weekday n of the month, "
        "e.g. '6L', the last Friday)",
    ),
    "8L": (
        "cron(0 8 ? * 8L *)",
        "got 'cron(0 8 ? * 8L *)'; day-of-week field '8L': 8 is out of range; "
        "the day-of-week field takes 1-7 or SUN-SAT (1 = Sunday)",
    ),
    "step in day-of-week (EventBridge table)": (
        "cron(0 8 ? * 2/2 *)",
        "got 'cron(0 8 ? * 2/2 *)'; day-of-week field '2/2': '/' is not allowed in "
        "day-of-week; it takes `, - * ? L #`",
    ),
    "step of zero": (
        "cron(*/0 8 * * ? *)",
        "got 'cron(*/0 8 * * ? *)'; minutes field '*/0': the step after '/' must be a whole "
        "number of at least 1, got '0'",
    ),
    "? in hours": (
        "cron(0 ? * * ? *)",
        "got 'cron(0 ? * * ? *)'; '?' is not allowed in hours; only day-of-month or "
        "day-of-week take '?'",
    ),
    "backwards year range": (
        "cron(0 8 * * ? 2030-2020)",
        "got 'cron(0 8 * * ? 2030-2020)'; year field '2030-2020': the range '2030-2020' runs "
        "backwards; year ranges cannot wrap around",
    ),
    "empty list item": (
        "cron(0 8 1,,2 * ? *)",
        "got 'cron(0 8 1,,2 * ? *)'; day-of-month field '1,,2': empty item in the list",
    ),
    "negative number": (
        "cron(-1 8 * * ? *)",
        "got 'cron(-1 8 * * ? *)'; minutes field '-1': '' is not a value; the minutes field "
        "takes 0-59 and the wildcards `, - * /`",
    ),
}


@pytest.mark.parametrize(("expression", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_expressions_are_refused_with_the_value_and_what_is_allowed(
    expression: str, message: str
) -> None:
    with pytest.raises(CronError) as caught:
        parse_cron(expression)
    assert str(caught.value) == message
    assert caught.value.expression == expression
    assert isinstance(caught.value, ValueError)


def test_awscron_is_a_frozen_value_compared_by_expression() -> None:
    assert parse_cron("cron(0 8 * * ? *)") == AwsCron("cron(0 8 * * ? *)")
    assert hash(parse_cron("cron(0 8 * * ? *)")) == hash(AwsCron("cron(0 8 * * ? *)"))
    assert str(parse_cron("cron(0 8 * * ? *)")) == "cron(0 8 * * ? *)"
    with pytest.raises(AttributeError):
        parse_cron("cron(0 8 * * ? *)").expression = "x"  # type: ignore[misc]


def test_importing_the_schedule_package_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, vaultplan.schedule, vaultplan.spec.rules;"
        "heavy = [m for m in ('aws_cdk', 'jsii', 'cfnlint', 'botocore', 'aws_croniter')"
        " if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_value_that_is_not_a_string_is_refused_with_its_repr() -> None:
    with pytest.raises(CronError) as caught:
        parse_cron({"Ref": "Schedule"})  # type: ignore[arg-type]
    assert str(caught.value) == (
        "got {'Ref': 'Schedule'}; a schedule is a cron() string, e.g. 'cron(0 5 ? * * *)'"
    )
