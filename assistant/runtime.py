"""Long-lived parts of a running Parity (clients, engines) and their readiness.

One :class:`Runtime` is built per process (the API app or a CLI command) and handed
to whatever needs a client; nothing is created at import time.
"""

from __future__ import annotations

import asyncio
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from assistant.database import check_database
from assistant.gateway import LLMGateway
from assistant.settings import Settings
from retrieval.store import check_client, open_client


class ComponentStatus(BaseModel):
    """Readiness of one component."""

    ok: bool
    detail: str


class Runtime:
    """Clients shared by a process, opened lazily."""

    def __init__(self, settings: Settings) -> None:
        """Bind the runtime to its settings; nothing is opened yet."""
        self.settings = settings

    @cached_property
    def gateway(self) -> LLMGateway:
        """The LLM gateway."""
        return LLMGateway(self.settings)

    @cached_property
    def qdrant(self) -> Any:
        """Qdrant client (server when ``PARITY_QDRANT_URL`` is set, else local mode)."""
        s = self.settings
        key = s.qdrant_api_key.get_secret_value() if s.qdrant_api_key else None
        return open_client(url=s.qdrant_url, path=s.resolved_qdrant_path, api_key=key)

    @cached_property
    def policy_store(self) -> Any:
        """Payer policy store on the runtime's Qdrant client."""
        from retrieval.embeddings import default_embedder
        from retrieval.policy_store import PolicyStore

        store = PolicyStore(self.qdrant, default_embedder())
        store.ensure()
        return store

    @cached_property
    def vault(self) -> Any:
        """The encrypted placeholder vault (development key generated in the data dir)."""
        from guardrails.vault import Vault, load_or_create_dev_key

        s = self.settings
        if s.vault_key is not None:
            secret = s.vault_key.get_secret_value()
        else:
            secret = load_or_create_dev_key(s.data_dir / "vault.key")
        return Vault(s.data_dir / "vault", secret)

    @cached_property
    def deidentifier(self) -> Any:
        """The process-wide de-identifier."""
        from guardrails.deid import get_deidentifier

        return get_deidentifier()

    @cached_property
    def note_checker(self) -> Any:
        """The documentation co-pilot (rule packs, de-identifier, citations, optional layers)."""
        from assistant.copilot.checker import NoteChecker
        from assistant.copilot.citations import CitationResolver
        from assistant.copilot.judge import LLMJudge, LLMPhraser
        from assistant.copilot.rulepacks import get_registry
        from assistant.copilot.similarity import get_similarity_layer, load_thresholds
        from guardrails.line_cache import LineCachedDeidentifier

        return NoteChecker(
            get_registry(),
            LineCachedDeidentifier(self.deidentifier),
            CitationResolver(self.policy_store),
            similarity=get_similarity_layer() if load_thresholds() else None,
            judge=LLMJudge(self.gateway) if self.gateway.engine == "llm" else None,
            phraser=LLMPhraser(self.gateway) if self.gateway.engine == "llm" else None,
            offload=self.deidentifier.helper,
        )

    @cached_property
    def engine(self) -> Any:
        """SQLAlchemy engine for cases, audit and users."""
        from assistant.database import make_engine

        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def audit(self) -> Any:
        """The tamper-evident audit log."""
        from assistant.audit.log import AuditLog

        return AuditLog(self.engine)

    @cached_property
    def appeal_rules(self) -> Any:
        """Denial classification and routing rules (``PARITY_APPEAL_RULES`` or the shipped file)."""
        from assistant.appeals.classify import RULES, load_rules

        return load_rules(self.settings.appeal_rules or RULES)

    @cached_property
    def authorizations(self) -> Any:
        """Authorization coordination (briefs, daily pass) on the relational store and the co-pilot."""
        from assistant.authorizations.service import AuthorizationService, UrgencyPolicy
        from assistant.authorizations.store import AuthorizationStore
        from assistant.copilot.rulepacks import get_registry

        s = self.settings
        policy = UrgencyPolicy(s.auth_notice_days, s.auth_reminder_days, s.auth_escalate_days,
                               s.auth_visits_warning, s.auth_brief_days)
        return AuthorizationService(AuthorizationStore(self.engine), get_registry(), self.note_checker, policy,
                                    webhook_url=s.webhook_url)

    @cached_property
    def scribe(self) -> Any:
        """The scribe (offline engine unless a model is configured), checking drafts with the co-pilot."""
        from assistant.scribe.draft import Scribe
        from assistant.scribe.render import DEFAULT_TEMPLATE, load_template

        s = self.settings
        return Scribe(
            self.note_checker.deidentifier,
            load_template(s.scribe_template or DEFAULT_TEMPLATE),
            default_format=s.note_format,
            gateway=self.gateway,
            checker=self.note_checker,
            window=s.llm_window_utterances,
        )

    def close(self) -> None:
        """Release clients that hold files or sockets."""
        self.__dict__.pop("scribe", None)
        if "engine" in self.__dict__:
            self.__dict__.pop("engine").dispose()
        self.__dict__.pop("note_checker", None)
        self.__dict__.pop("policy_store", None)
        if "qdrant" in self.__dict__:
            self.qdrant.close()
            del self.__dict__["qdrant"]

    def _check_vector_store(self) -> tuple[bool, str]:
        try:
            client = self.qdrant
        except Exception as exc:  # a held lock or an unreachable server
            return False, f"vector store unavailable: {type(exc).__name__}: {exc}"[:300]
        return check_client(client)

    def _check_deidentifier(self) -> tuple[bool, str]:
        from guardrails.health import check_deidentifier

        return check_deidentifier()

    async def readiness(self) -> dict[str, ComponentStatus]:
        """Check every component; slow checks run in worker threads."""
        db, vectors, deid = await asyncio.gather(
            asyncio.to_thread(check_database, self.settings.resolved_database_url),
            asyncio.to_thread(self._check_vector_store),
            asyncio.to_thread(self._check_deidentifier),
        )
        llm = await self.gateway.ping()
        return {
            "database": ComponentStatus(ok=db[0], detail=db[1]),
            "vector_store": ComponentStatus(ok=vectors[0], detail=vectors[1]),
            "llm": ComponentStatus(ok=llm[0], detail=llm[1]),
            "deidentifier": ComponentStatus(ok=deid[0], detail=deid[1]),
        }
