"""Configuration from KIOSK_* variables: defaults, kept secrets, one clear line on a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.platform.config import ConfigError, from_environment


def test_defaults_keep_everything_in_the_data_folder(tmp_path: Path) -> None:
    config = from_environment({"KIOSK_DATA_DIR": str(tmp_path)})
    assert config.DATABASE_URL == f"sqlite:///{tmp_path / 'kiosk.db'}"
    assert config.QUEUE_URL == f"sqlite:///{tmp_path / 'queue.db'}"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "encryption_key").stat().st_mode & 0o777 == 0o600
    again = from_environment({"KIOSK_DATA_DIR": str(tmp_path)})
    assert again.SECRET_KEY == config.SECRET_KEY  # kept, not regenerated
    assert again.ENCRYPTION_KEYS == config.ENCRYPTION_KEYS


def test_postgresql_url_uses_psycopg_3(tmp_path: Path) -> None:
    config = from_environment(
        {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_DATABASE_URL": "postgresql://u@h:5432/db"}
    )
    assert config.DATABASE_URL == "postgresql+psycopg://u@h:5432/db"


def test_lists_and_dates_are_parsed(tmp_path: Path) -> None:
    config = from_environment(
        {
            "KIOSK_DATA_DIR": str(tmp_path),
            "KIOSK_DISTRICT_CODES": "440514, 440513",
            "KIOSK_POLICY_START": "2025-07-01",
            "KIOSK_PUBLIC_URL": "https://claims.example.cn/",
            "KIOSK_OCR_TIMEOUT_SECONDS": "45",
        }
    )
    assert config.OCR_TIMEOUT_SECONDS == 45
    assert config.DISTRICT_CODES == ("440514", "440513")
    assert str(config.POLICY_START) == "2025-07-01"
    assert config.PUBLIC_URL == "https://claims.example.cn"
    assert config.to_flask()["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KIOSK_DATABASE_URL", "mysql://root@localhost/kiosk"),
        ("KIOSK_QUEUE_URL", "amqp://guest@localhost"),
        ("KIOSK_PUBLIC_URL", "claims.example.cn"),
        ("KIOSK_PUBLIC_URL", "https://"),
        ("KIOSK_ENCRYPTION_KEY", "not-a-key"),
        ("KIOSK_SECRET_KEY", "short"),
        ("KIOSK_DISTRICT_CODES", "4405"),
        ("KIOSK_POLICY_START", "2026-02-30"),
        ("KIOSK_LOG_LEVEL", "LOUD"),
        ("KIOSK_OCR_TIMEOUT_SECONDS", "soon"),
        ("KIOSK_CHECK_DATABASE_AT_START", "maybe"),
        ("KIOSK_RATELIMIT_STORAGE_URL", "memcached://x"),
    ],
)
def test_bad_setting_stops_the_app_with_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError):
        from_environment()
    with pytest.raises(SystemExit) as stopped:
        create_app()
    message = str(stopped.value.code)
    assert variable in message
    assert "\n" not in message and "Traceback" not in message


def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="KIOSK_DATA_DIR"):
        from_environment({"KIOSK_DATA_DIR": str(blocker / "sub")})


def test_unreachable_database_gives_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KIOSK_DATABASE_URL", "postgresql://kiosk:secret-pw@127.0.0.1:1/nowhere")
    with pytest.raises(SystemExit) as stopped:
        create_app()
    message = str(stopped.value.code)
    assert message.startswith("kiosk: cannot reach the database at KIOSK_DATABASE_URL=")
    assert "secret-pw" not in message
    assert "\n" not in message


def test_missing_sqlite_folder_gives_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KIOSK_DATABASE_URL", f"sqlite:///{tmp_path}/no/such/folder/kiosk.db")
    with pytest.raises(SystemExit) as stopped:
        create_app()
    assert "KIOSK_DATABASE_URL" in str(stopped.value.code)


def test_serving_an_unmigrated_database_stops_with_one_line(tmp_path: Path) -> None:
    from kiosk.platform.database import check_schema_is_current
    from tests.conftest import make_config

    app = create_app(make_config(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(SystemExit) as stopped:
        check_schema_is_current(app)
    assert "flask --app kiosk db upgrade" in str(stopped.value.code)


def test_processes_starting_together_share_one_generated_secret(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        configs = list(
            pool.map(lambda _: from_environment({"KIOSK_DATA_DIR": str(tmp_path)}), range(16))
        )
    keys = {c.SECRET_KEY for c in configs}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert len({c.LOOKUP_KEY for c in configs}) == 1
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["encryption_key", "lookup_key", "secret_key"]
