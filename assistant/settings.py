"""Parity settings: one pydantic-settings class, every variable prefixed ``PARITY_``.

Embedded defaults need nothing started: SQLite and Qdrant local mode under the
data directory, the offline engine when no model is configured. Production
(``PARITY_ENV=production``) refuses the development secrets and a missing vault key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "parity-development-secret-change-me"  # noqa: S105 - refused in production


class Settings(BaseSettings):
    """All runtime configuration of Parity."""

    model_config = SettingsConfigDict(env_prefix="PARITY_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite file in the data dir."
    )
    qdrant_url: str | None = Field(default=None, description="Qdrant server URL; unset = local mode.")
    qdrant_path: Path | None = Field(default=None, description="Qdrant local-mode folder.")
    qdrant_api_key: SecretStr | None = None

    llm_model: str | None = Field(
        default=None, description="litellm model id, e.g. hosted_vllm/meta-llama/Llama-3.1-8B-Instruct."
    )
    llm_api_base: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_tokens: int = Field(default=1024, gt=0)
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    llm_concurrency: int = Field(default=4, ge=1)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_response_format: Literal["json_schema", "json_object"] = Field(
        default="json_schema",
        description="json_schema (vLLM, OpenAI) or json_object with a schema (llama.cpp).",
    )

    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    vault_key: SecretStr | None = Field(
        default=None, description="Fernet key for the de-identification vault."
    )
    max_input_bytes: int = Field(default=2_000_000, gt=0)
    auth: Literal["required", "off"] | None = Field(
        default=None,
        description="API tokens required, or 'off' (one local admin, development only). Default: required in production.",
    )
    load_sample_policies: bool = Field(
        default=True, description="Load the sample payer policies into an empty policy store on first start."
    )
    resume_cases_on_start: bool = Field(default=True, description="Carry on interrupted cases when the service starts.")
    note_format: Literal["SOAP", "DAP", "BIRP", "GIRP"] = Field(
        default="SOAP", description="Practice default note format for drafted notes."
    )
    scribe_template: Path | None = Field(
        default=None, description="Practice note template (YAML); default assistant/scribe/templates/default.yaml."
    )
    appeal_rules: Path | None = Field(default=None, description="Denial classification/routing rules (YAML).")
    appeal_default_days: int | None = Field(
        default=None, gt=0, description="Appeal window when the payer is unknown (default: the baseline pack's 180 days)."
    )
    auth_notice_days: int = Field(default=5, ge=1, description="Days before a concurrent review: first notice.")
    auth_reminder_days: int = Field(default=3, ge=1, description="Days before the review: reminder of open items.")
    auth_escalate_days: int = Field(default=1, ge=0, description="Days before the review: escalated alert.")
    auth_visits_warning: int = Field(default=3, ge=0, description="Warn when this many authorized visits or fewer remain.")
    auth_brief_days: int = Field(default=14, ge=1, description="Briefs list an episode this many days before its review.")
    auth_daily_at: str | None = Field(
        default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Run the daily authorization pass inside `parity serve` at this local time (HH:MM).",
    )
    webhook_url: str | None = Field(default=None, description="POST each new authorization alert here (JSON).")

    @field_validator("auth_daily_at", "webhook_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``PARITY_AUTH_DAILY_AT=`` (an empty line in ``.env``) means "not set", as for a missing variable."""
        return None if isinstance(value, str) and not value.strip() else value
    llm_window_utterances: int = Field(default=80, ge=10, description="Transcript window per LLM extraction call.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)

    @model_validator(mode="after")
    def _auth_default(self) -> Settings:
        if self.auth is None:
            self.auth = "required" if self.env == "production" else "off"
        elif self.auth == "off" and self.env == "production":
            raise ValueError("PARITY_AUTH=off is refused in production")
        return self

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Settings:
        if self.env != "production":
            return self
        if self.secret_key.get_secret_value() == DEV_SECRET_KEY:
            raise ValueError("PARITY_SECRET_KEY must be set to a non-default value in production")
        if self.vault_key is None or not self.vault_key.get_secret_value():
            raise ValueError("PARITY_VAULT_KEY must be set in production")
        return self

    @property
    def engine(self) -> Literal["offline", "llm"]:
        """The engine in force: ``llm`` as soon as a model is configured."""
        return "llm" if self.llm_model else "offline"

    @property
    def resolved_database_url(self) -> str:
        """Database URL, defaulting to a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'parity.db').as_posix()}"

    @property
    def resolved_qdrant_path(self) -> Path:
        """Local-mode Qdrant folder, defaulting to ``<data_dir>/qdrant``."""
        return self.qdrant_path or self.data_dir / "qdrant"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment (tests clear the cache)."""
    return Settings()
