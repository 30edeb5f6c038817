"""De-identification endpoint."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends

from assistant.api.deps import RuntimeDep
from assistant.auth.deps import require
from assistant.deidentify import DeidentifyRequest, DeidentifyResponse, deidentify_text

router = APIRouter(prefix="/v1", tags=["de-identification"])


@router.post("/deidentify", response_model=DeidentifyResponse, dependencies=[Depends(require("deid.run"))])
async def deidentify(body: DeidentifyRequest, runtime: RuntimeDep) -> DeidentifyResponse:
    """Replace every Safe Harbor identifier with a consistent typed placeholder."""
    return await asyncio.to_thread(deidentify_text, runtime, body)
