"""Settings read from KIOSK_* environment variables, with safe defaults.

Every setting is read and checked once, at start. A bad value raises ConfigError
whose message is one line naming the variable; `create_app` turns it into a clean exit.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from kiosk.platform.crypto import derived_lookup_key
from kiosk.platform.proxies import parse_networks


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def _default_data_dir() -> Path:
    return Path.cwd() / "instance"


@dataclass
class Config:
    """Everything the app needs to know about where and how it runs."""

    DATA_DIR: Path = field(default_factory=_default_data_dir)
    DATABASE_URL: str = ""  # empty: SQLite file in DATA_DIR
    SECRET_KEY: str = ""  # empty: generated once and kept in DATA_DIR
    ENCRYPTION_KEYS: tuple[str, ...] = ()  # empty: generated once and kept in DATA_DIR
    # The keyed look-up hashes' own key; empty: kept in DATA_DIR, first made from the oldest
    # encryption key as it was derived before it had a setting (so no stored hash changes).
    LOOKUP_KEY: str = ""
    QUEUE_URL: str = ""  # empty: SQLite queue in DATA_DIR; "immediate" runs jobs inline
    RATELIMIT_STORAGE_URL: str = "memory://"
    PUBLIC_URL: str = "http://127.0.0.1:8000"
    # Proxies (addresses or networks) whose X-Forwarded-For is believed; empty: none.
    TRUSTED_PROXIES: tuple[str, ...] = ()
    # Who may read /metrics (addresses or networks): this machine unless told otherwise.
    METRICS_FROM: tuple[str, ...] = ("127.0.0.1", "::1")
    # The single-branch default (`make run`): a browser on this machine is enrolled as a
    # kiosk by itself; every other tablet needs a code (kiosk.services.devices).
    ENROL_THIS_MACHINE: bool = False
    BRANCH_NAME: str = "潮南区理赔服务点"
    BRANCH_PHONE: str = "0754-87000000"
    PRINTER: str = ""  # empty: the browser prints; tcp://host:9100 or usb://VID:PID: ESC/POS
    SMS_GATEWAY_URL: str = ""  # empty: messages are recorded as sent; else POSTed here
    SMS_GATEWAY_TOKEN: str = ""  # sent as a Bearer token, if the gateway wants one
    SMS_TIMEOUT: float = 5.0  # seconds to wait for the gateway
    DISTRICT_CODES: tuple[str, ...] = ("440514",)
    POLICY_START: date = date(2026, 1, 1)
    IDLE_WARNING_SECONDS: int = 120  # no touch for this long: "还需要更多时间吗？"
    IDLE_CLEAR_SECONDS: int = 45  # then this long more: the screen clears
    LOG_LEVEL: str = "INFO"
    LOG_FORMAT: str = "text"  # or "json": one object a line, for a log collector
    OCR_ENGINE: str = "rapidocr"  # or "tesseract", where onnxruntime cannot run
    HOSPITALS_FILE: Path | None = None  # CSV name,grade; empty: the list shipped with the kiosk
    OCR_TIMEOUT_SECONDS: int = 20  # then the person is offered to type or skip
    TESTING: bool = False
    PASSWORD_HASH_COST: str = "standard"  # "test": a cheap argon2, honoured only when TESTING
    CHECK_DATABASE_AT_START: bool = True

    def to_flask(self) -> dict[str, object]:
        """The settings as Flask config keys (upper-case names, plus Flask's own)."""
        values: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        values["SQLALCHEMY_DATABASE_URI"] = self.DATABASE_URL
        values["METRICS_NETWORKS"] = parse_networks(self.METRICS_FROM)
        # hide_parameters: SQL errors in the log never carry the values of a row.
        values["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "hide_parameters": True}
        values["RATELIMIT_STORAGE_URI"] = self.RATELIMIT_STORAGE_URL
        # Redis down must not mean 500 on every form, staff login included: the limits are
        # counted in this process's memory until it answers again (Flask-Limiter logs it).
        values["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
        if self.RATELIMIT_STORAGE_URL.startswith("redis"):
            values["RATELIMIT_STORAGE_OPTIONS"] = {"socket_timeout": 1, "socket_connect_timeout": 1}
        values["SESSION_COOKIE_HTTPONLY"] = True
        values["SESSION_COOKIE_SAMESITE"] = "Lax"
        values["SESSION_COOKIE_SECURE"] = self.PUBLIC_URL.startswith("https://")
        values["BABEL_DEFAULT_LOCALE"] = "zh_CN"
        values["BABEL_DEFAULT_TIMEZONE"] = "Asia/Shanghai"
        values["WTF_CSRF_TIME_LIMIT"] = None  # the kiosk session itself expires
        values["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
        return values

    def finish(self) -> Config:
        """Fill the defaults that depend on DATA_DIR and check every value."""
        try:
            self.DATA_DIR.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"KIOSK_DATA_DIR: cannot create {self.DATA_DIR}: {exc.strerror}"
            ) from None
        if not self.DATABASE_URL:
            self.DATABASE_URL = f"sqlite:///{self.DATA_DIR / 'kiosk.db'}"
        if not self.QUEUE_URL:
            self.QUEUE_URL = f"sqlite:///{self.DATA_DIR / 'queue.db'}"
        if not self.SECRET_KEY:
            self.SECRET_KEY = _kept_secret(self.DATA_DIR / "secret_key", secrets.token_hex(32))
        if not self.ENCRYPTION_KEYS:
            key = _kept_secret(self.DATA_DIR / "encryption_key", Fernet.generate_key().decode())
            self.ENCRYPTION_KEYS = (key,)
        oldest = self.ENCRYPTION_KEYS[-1]
        if not self.LOOKUP_KEY and _fernet_key(oldest):  # a bad key is named below
            self.LOOKUP_KEY = _kept_secret(self.DATA_DIR / "lookup_key", derived_lookup_key(oldest))
        _check_url("KIOSK_DATABASE_URL", self.DATABASE_URL, ("sqlite", "postgresql", "postgres"))
        if self.DATABASE_URL.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
            self.DATABASE_URL = "postgresql+psycopg://" + self.DATABASE_URL.split("://", 1)[1]
        if self.QUEUE_URL != "immediate":
            _check_url("KIOSK_QUEUE_URL", self.QUEUE_URL, ("sqlite", "redis"))
        _check_url("KIOSK_RATELIMIT_STORAGE_URL", self.RATELIMIT_STORAGE_URL, ("memory", "redis"))
        _check_url("KIOSK_PUBLIC_URL", self.PUBLIC_URL, ("http", "https"))
        if self.PRINTER:
            _check_url("KIOSK_PRINTER", self.PRINTER, ("tcp", "usb"))
        if self.SMS_GATEWAY_URL:
            _check_url("KIOSK_SMS_GATEWAY_URL", self.SMS_GATEWAY_URL, ("http", "https"))
        self.PUBLIC_URL = self.PUBLIC_URL.rstrip("/")
        for key in self.ENCRYPTION_KEYS:
            try:
                Fernet(key)
            except (ValueError, TypeError):
                raise ConfigError(
                    "KIOSK_ENCRYPTION_KEY: each key must be 32 url-safe base64-encoded bytes "
                    "(make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())')"
                ) from None
        if not _fernet_key(self.LOOKUP_KEY):
            raise ConfigError(
                "KIOSK_LOOKUP_KEY: must be 32 url-safe base64-encoded bytes, made like an "
                "encryption key"
            )
        try:
            parse_networks(self.TRUSTED_PROXIES)
        except ValueError as exc:
            raise ConfigError(f"KIOSK_TRUSTED_PROXIES: {exc}") from None
        try:
            parse_networks(self.METRICS_FROM)
        except ValueError as exc:
            raise ConfigError(f"KIOSK_METRICS_FROM: {exc}") from None
        if self.ENROL_THIS_MACHINE and urlsplit(self.PUBLIC_URL).hostname not in LOOPBACK:
            raise ConfigError(
                "KIOSK_ENROL_THIS_MACHINE: only for a kiosk on its own machine (KIOSK_PUBLIC_URL "
                "on 127.0.0.1 or localhost); behind a proxy every browser would look local"
            )
        if len(self.SECRET_KEY) < 32:
            raise ConfigError("KIOSK_SECRET_KEY: must be at least 32 characters")
        for code in self.DISTRICT_CODES:
            if not (len(code) == 6 and code.isdigit()):
                raise ConfigError(f"KIOSK_DISTRICT_CODES: {code!r} is not a 6-digit region code")
        for name in ("IDLE_WARNING_SECONDS", "IDLE_CLEAR_SECONDS"):
            if not 10 <= getattr(self, name) <= 3600:
                raise ConfigError(f"KIOSK_{name}: must be between 10 and 3600 seconds")
        if self.OCR_ENGINE not in ("rapidocr", "tesseract"):
            raise ConfigError("KIOSK_OCR_ENGINE: must be rapidocr or tesseract")
        if self.HOSPITALS_FILE is not None:
            from kiosk.ocr.hospitals import HospitalListError, load_hospitals

            try:
                load_hospitals(self.HOSPITALS_FILE)
            except HospitalListError as error:
                raise ConfigError(f"KIOSK_HOSPITALS_FILE: {error}") from None
        if self.LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError("KIOSK_LOG_LEVEL: must be DEBUG, INFO, WARNING or ERROR")
        if self.LOG_FORMAT not in ("text", "json"):
            raise ConfigError("KIOSK_LOG_FORMAT: must be text or json")
        return self


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _fernet_key(key: str) -> bool:
    try:
        Fernet(key)
    except (ValueError, TypeError):
        return False
    return True


def _kept_secret(path: Path, fresh: str) -> str:
    """Read a generated secret from the data folder, creating it (mode 0600) the first time.

    Written whole to a temporary file and hard-linked into place, so processes starting
    together all end up with the same complete secret, never a half-written one.
    """
    if path.exists():
        return path.read_text().strip()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(fresh)
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process won the race: use its secret
    finally:
        tmp.unlink()
    return path.read_text().strip()


def _check_url(variable: str, url: str, schemes: tuple[str, ...]) -> None:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme not in schemes:
        raise ConfigError(f"{variable}: {url.split('://')[0]!r} is not one of {', '.join(schemes)}")
    if scheme in ("http", "https") and not urlsplit(url).netloc:
        raise ConfigError(f"{variable}: {url!r} has no host")


def _parse_bool(variable: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{variable}: {raw!r} is not true or false")


def _parse_date(variable: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ConfigError(f"{variable}: {raw!r} is not a date like 2026-01-01") from None


def _parse_int(variable: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigError(f"{variable}: {raw!r} is not a whole number") from None


def _parse_list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


# KIOSK_<NAME> -> (Config field, parser). The README lists each of these.
_VARIABLES = {
    "KIOSK_DATA_DIR": ("DATA_DIR", lambda v, raw: Path(raw).expanduser().resolve()),
    "KIOSK_DATABASE_URL": ("DATABASE_URL", lambda v, raw: raw.strip()),
    "KIOSK_SECRET_KEY": ("SECRET_KEY", lambda v, raw: raw.strip()),
    "KIOSK_ENCRYPTION_KEY": ("ENCRYPTION_KEYS", lambda v, raw: _parse_list(raw)),
    "KIOSK_LOOKUP_KEY": ("LOOKUP_KEY", lambda v, raw: raw.strip()),
    "KIOSK_QUEUE_URL": ("QUEUE_URL", lambda v, raw: raw.strip()),
    "KIOSK_RATELIMIT_STORAGE_URL": ("RATELIMIT_STORAGE_URL", lambda v, raw: raw.strip()),
    "KIOSK_PUBLIC_URL": ("PUBLIC_URL", lambda v, raw: raw.strip()),
    "KIOSK_TRUSTED_PROXIES": ("TRUSTED_PROXIES", lambda v, raw: _parse_list(raw)),
    "KIOSK_METRICS_FROM": ("METRICS_FROM", lambda v, raw: _parse_list(raw)),
    "KIOSK_ENROL_THIS_MACHINE": ("ENROL_THIS_MACHINE", _parse_bool),
    "KIOSK_BRANCH_NAME": ("BRANCH_NAME", lambda v, raw: raw.strip()),
    "KIOSK_BRANCH_PHONE": ("BRANCH_PHONE", lambda v, raw: raw.strip()),
    "KIOSK_PRINTER": ("PRINTER", lambda v, raw: raw.strip()),
    "KIOSK_SMS_GATEWAY_URL": ("SMS_GATEWAY_URL", lambda v, raw: raw.strip()),
    "KIOSK_SMS_GATEWAY_TOKEN": ("SMS_GATEWAY_TOKEN", lambda v, raw: raw.strip()),
    "KIOSK_SMS_TIMEOUT": ("SMS_TIMEOUT", lambda v, raw: float(_parse_int(v, raw))),
    "KIOSK_DISTRICT_CODES": ("DISTRICT_CODES", lambda v, raw: _parse_list(raw)),
    "KIOSK_POLICY_START": ("POLICY_START", _parse_date),
    "KIOSK_IDLE_WARNING_SECONDS": ("IDLE_WARNING_SECONDS", _parse_int),
    "KIOSK_IDLE_CLEAR_SECONDS": ("IDLE_CLEAR_SECONDS", _parse_int),
    "KIOSK_LOG_LEVEL": ("LOG_LEVEL", lambda v, raw: raw.strip().upper()),
    "KIOSK_LOG_FORMAT": ("LOG_FORMAT", lambda v, raw: raw.strip().lower()),
    "KIOSK_OCR_ENGINE": ("OCR_ENGINE", lambda v, raw: raw.strip().lower()),
    "KIOSK_OCR_TIMEOUT_SECONDS": ("OCR_TIMEOUT_SECONDS", _parse_int),
    "KIOSK_HOSPITALS_FILE": ("HOSPITALS_FILE", lambda v, raw: Path(raw).expanduser().resolve()),
    "KIOSK_CHECK_DATABASE_AT_START": ("CHECK_DATABASE_AT_START", _parse_bool),
}


def from_environment(environ: dict[str, str] | None = None) -> Config:
    """Build the Config from KIOSK_* variables; unset or empty variables keep their default."""
    environ = dict(os.environ if environ is None else environ)
    values = {}
    for variable, (name, parse) in _VARIABLES.items():
        raw = environ.get(variable, "")
        if raw.strip():
            values[name] = parse(variable, raw)
    return Config(**values).finish()
