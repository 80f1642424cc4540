"""``vaultplan init``'s commented config: it reads back as the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultplan.config import Config, default_config_text, parse_config, write_default_config
from vaultplan.errors import InputError


def test_default_text_reads_back_as_the_defaults() -> None:
    assert parse_config(default_config_text()) == Config()


def test_default_text_is_commented_and_shows_every_optional_key() -> None:
    text = default_config_text()
    assert text.startswith("# vaultplan.toml: ")
    for key in (
        "account",
        "region",
        "ids",
        "start_window_minutes",
        "completion_window_minutes",
        "schedule_timezone",
    ):
        assert key in text
    assert 'schedule = "cron(0 8 * * ? *)"  # at 08:00 UTC every day' in text


def test_write_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = write_default_config(tmp_path)
    assert path == tmp_path / "vaultplan.toml"
    path.write_text("site_name = 'mine'\n")
    with pytest.raises(InputError, match="the file exists, pass --force"):
        write_default_config(path)
    assert path.read_text() == "site_name = 'mine'\n"
    write_default_config(path, force=True)
    assert path.read_text() == default_config_text()
