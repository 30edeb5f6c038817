"""Appeals endpoints: classify a denial, draft the cited letter."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile

from assistant.api.deps import RuntimeDep
from assistant.appeals.evidence import document
from assistant.appeals.models import AppealDraft, Classification
from assistant.appeals.service import classify_file, draft_appeal
from assistant.auth.deps import require
from assistant.errors import InputTooLargeError, InvalidInputError
from assistant.inputs import decode_text

router = APIRouter(prefix="/v1/appeals", tags=["appeals"], dependencies=[Depends(require("appeal.create"))])


async def _read(upload: UploadFile, field: str, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InputTooLargeError(f"file is over the limit of {limit} bytes", field)
    if not data.strip():
        raise InvalidInputError("file is empty", field)
    return data


@router.post("/classify", response_model=Classification)
async def classify(
    runtime: RuntimeDep,
    file: Annotated[UploadFile, File(description="Denial letter / EOB (.txt, .pdf) or X12 835.")],
    claim: Annotated[str | None, Form()] = None,
) -> Classification:
    """Root cause, appealability, action, routes, deadline and level of a denial."""
    data = await _read(file, "file", runtime.settings.max_input_bytes)
    return await asyncio.to_thread(classify_file, runtime, data, file.filename or "denial.txt", claim)


@router.post("/draft", response_model=AppealDraft)
async def draft(
    runtime: RuntimeDep,
    file: Annotated[UploadFile, File(description="Denial letter / EOB (.txt, .pdf) or X12 835.")],
    notes: Annotated[list[UploadFile] | None, File(description="Progress notes (text).")] = None,
    plan: Annotated[UploadFile | None, File(description="Treatment plan (text).")] = None,
    payer: Annotated[str | None, Form()] = None,
    claim: Annotated[str | None, Form()] = None,
) -> AppealDraft:
    """The appeal letter, its criteria with the record's evidence, citations and warnings."""
    limit = runtime.settings.max_input_bytes
    data = await _read(file, "file", limit)
    docs = []
    for upload in notes or []:
        docs.append(document(upload.filename or "note.txt", decode_text(await _read(upload, "notes", limit), "notes", limit)))
    if plan is not None:
        text = decode_text(await _read(plan, "plan", limit), "plan", limit)
        docs.append(document(plan.filename or "plan.txt", text, kind="treatment plan"))
    return await draft_appeal(runtime, data, file.filename or "denial.txt", docs, claim=claim, payer=payer)
