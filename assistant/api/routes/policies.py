"""Payer policy endpoints: upload, list, search."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from pydantic import BaseModel

from assistant.api.deps import RuntimeDep
from assistant.auth.deps import get_current_user, require
from assistant.errors import InputTooLargeError, InvalidInputError
from retrieval.ingest import PolicyRejectedError, ingest_bytes
from retrieval.models import SearchResult
from retrieval.policy_store import IngestReport, PolicyConflictError

router = APIRouter(prefix="/v1/policies", tags=["policies"])


class SearchResponse(BaseModel):
    """Search results."""

    results: list[SearchResult]


class PolicyList(BaseModel):
    """Stored policy versions."""

    policies: list[dict[str, Any]]


@router.post("", response_model=IngestReport, status_code=201, dependencies=[Depends(require("policies.ingest"))])
async def upload_policy(
    runtime: RuntimeDep,
    file: Annotated[UploadFile, File(description="Policy document (.md, .html, .pdf, .txt).")],
    payer: Annotated[str | None, Form()] = None,
    policy_id: Annotated[str | None, Form()] = None,
    version: Annotated[str | None, Form()] = None,
    title: Annotated[str | None, Form()] = None,
    effective_from: Annotated[str | None, Form()] = None,
    effective_to: Annotated[str | None, Form()] = None,
    codes: Annotated[str | None, Form(description="Comma-separated CPT codes.")] = None,
    plan: Annotated[str | None, Form()] = None,
    state: Annotated[str | None, Form()] = None,
    source: Annotated[str | None, Form()] = None,
) -> IngestReport:
    """Ingest one policy document (metadata from its front matter, overridden by form fields)."""
    limit = runtime.settings.max_input_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise InputTooLargeError(f"file is over the limit of {limit} bytes", "file")
    overrides = {
        "payer": payer, "policy_id": policy_id, "version": version, "title": title,
        "effective_from": effective_from, "effective_to": effective_to, "codes": codes,
        "plan": plan, "state": state, "source": source,
    }
    try:
        return await asyncio.to_thread(
            ingest_bytes, runtime.policy_store, data, file.filename or "upload.txt", overrides
        )
    except PolicyRejectedError as exc:
        raise InvalidInputError(str(exc), "file") from exc
    except PolicyConflictError as exc:
        raise InvalidInputError(str(exc), "version") from exc


@router.get("", response_model=PolicyList, dependencies=[Depends(get_current_user)])
async def list_policies(runtime: RuntimeDep) -> PolicyList:
    """Every stored policy version."""
    return PolicyList(policies=await asyncio.to_thread(runtime.policy_store.list_policies))


@router.get("/search", response_model=SearchResponse, dependencies=[Depends(get_current_user)])
async def search_policies(
    runtime: RuntimeDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="Query text.")],
    payer: Annotated[str | None, Query(max_length=100)] = None,
    cpt: Annotated[str | None, Query(pattern=r"^\d{4}[0-9A-Za-z]$")] = None,
    date: Annotated[dt.date | None, Query(description="Only versions in force on this date.")] = None,
    k: Annotated[int, Query(ge=1, le=100)] = 5,
) -> SearchResponse:
    """Hybrid search with hard payer/code/date filters."""
    results = await asyncio.to_thread(runtime.policy_store.search, q, payer, cpt, date, k)
    return SearchResponse(results=results)
