"""Settings: flags > RETAIN_* environment > config.toml > defaults, with platformdirs paths."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

from retain.errors import ConfigError

APP_NAME = "retain"
MAX_CONFIG_BYTES = 100_000

# Environment variable for each setting; the config.toml key is the field name.
ENV_VARS: dict[str, str] = {
    "db": "RETAIN_DB",
    "data_dir": "RETAIN_DATA_DIR",
    "guides_dir": "RETAIN_GUIDES",
    "glossary": "RETAIN_GLOSSARY",
    "spacy_model": "RETAIN_SPACY_MODEL",
    "exports_dir": "RETAIN_EXPORTS",
    "interviewer": "RETAIN_INTERVIEWER",
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build one with :func:`load_settings`; never read env vars elsewhere."""

    data_dir: Path
    db: str = ""
    guides_dir: Path | None = None
    glossary: Path | None = None
    spacy_model: str | None = None
    exports_dir: Path = field(default_factory=lambda: Path("exports"))
    interviewer: str | None = None
    config_file: Path | None = None
    # config.toml only: {exit = "24 months after leaving", handover = "never"} (retain.domain.retention).
    retention: dict[str, str] | None = None
    # config.toml only: the default reporting minimum of `retain insights` (3 or more).
    insights_min_group: int | None = None

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the database (a bare path means an SQLite file)."""
        return database_url(self.db or str(self.data_dir / "retain.db"))

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is an embedded SQLite file."""
        return self.db_url.startswith("sqlite")


def database_url(value: str) -> str:
    """Turn a ``--db`` value (a file path or a SQLAlchemy URL) into a URL.

    Args:
        value: A path such as ``~/hr/retain.db`` or a URL such as ``postgresql://host/db``.

    Returns:
        A SQLAlchemy URL; PostgreSQL URLs use the psycopg 3 driver.
    """
    value = value.strip()
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        return f"sqlite:///{path}"
    scheme, rest = value.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return value


def default_config_file() -> Path:
    """The config.toml location: ``RETAIN_CONFIG`` or the platform's user config folder."""
    env = os.environ.get("RETAIN_CONFIG")
    return Path(env).expanduser() if env else Path(user_config_dir(APP_NAME)) / "config.toml"


def _read_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES:,} bytes; this is not a config file")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}; fix its permissions or set RETAIN_CONFIG") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix or delete the file") from exc
    known = {f.name for f in fields(Settings)} - {"config_file"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r}; valid settings are {', '.join(sorted(known))}"
        )
    for key, value in data.items():
        if key == "retention":  # the one table; checked in load_settings
            continue
        if key == "insights_min_group":
            if isinstance(value, bool) or not isinstance(value, int) or value < 3:
                raise ConfigError(f"{path}: insights_min_group must be a whole number of at least 3, e.g. insights_min_group = 5")
            continue
        # `db = 123` would otherwise become a database file named ./123.
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f'{path}: {key} must be a non-empty string in quotes, e.g. {key} = "..."'
            )
    return data


def load_settings(**flags: Any) -> Settings:
    """Resolve settings from flags, then ``RETAIN_*`` variables, then config.toml, then defaults.

    Args:
        **flags: Values given on the command line; ``None`` means "not given".

    Returns:
        The resolved :class:`Settings`.
    """
    for name, value in flags.items():
        # An empty --db would silently mean "the default file", ignoring RETAIN_DB.
        if isinstance(value, str) and not value.strip():
            raise ConfigError(
                f"--{name.replace('_', '-')} is empty; give a value, or leave it out to use "
                f"{ENV_VARS.get(name, 'the default')}"
            )
    config_file = default_config_file()
    values: dict[str, Any] = dict(_read_config_file(config_file))
    for name, var in ENV_VARS.items():
        if os.environ.get(var):
            values[name] = os.environ[var]
    values.update({k: v for k, v in flags.items() if v is not None})

    data_dir = Path(values.pop("data_dir", None) or user_data_dir(APP_NAME)).expanduser()
    settings = Settings(data_dir=data_dir, config_file=config_file)
    converted: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("guides_dir", "glossary", "exports_dir"):
            converted[key] = Path(str(value)).expanduser()
        elif key == "insights_min_group":
            converted[key] = int(value)
        elif key == "retention":
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{config_file}: retention must be a table, e.g. "
                    'retention = {exit = "24 months after leaving", handover = "never"}'
                )
            from retain.domain.retention import parse_policy

            parse_policy(value, str(config_file))  # a bad rule fails here, naming the file
            converted[key] = {str(k): str(v) for k, v in value.items()}
        else:
            converted[key] = str(value)
    return replace(settings, **converted)
