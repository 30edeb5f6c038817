"""The ``parity`` command line.

Every command that produces data takes ``--json`` and then prints exactly one JSON
document on stdout. Errors print one line on stderr and exit non-zero (2 for input
the caller can fix, 1 for everything else).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from assistant import __version__
from assistant.errors import ParityError
from assistant.settings import get_settings

app = typer.Typer(
    name="parity",
    help="Parity: documentation co-pilot, scribe and appeals for behavioral-health practices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit with ``code``."""
    sys.stderr.write(f"parity: error: {message.splitlines()[0] if message else 'failed'}\n")
    raise typer.Exit(code)


def emit(payload: Any, as_json: bool, human: str | None = None) -> None:
    """Write the command's result: one JSON document, or a human summary."""
    if as_json or human is None:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(human.rstrip("\n") + "\n")


def handles_errors(func: F) -> F:
    """Turn known exceptions into one stderr line and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except ParityError as exc:
            fail(f"{exc.field + ': ' if exc.field else ''}{exc.message}", 2)
        except ValidationError as exc:
            err = exc.errors(include_input=False)[0]
            loc = ".".join(str(p) for p in err.get("loc", ()))
            fail(f"{loc or exc.title}: {err.get('msg', 'invalid')}", 2)
        except (LookupError, ValueError, OSError) as exc:
            fail(str(exc) or type(exc).__name__, 2)
        except Exception as exc:  # never a traceback on the user's terminal
            fail(f"internal error ({type(exc).__name__}); see the server log", 1)
        return None

    return wrapper  # type: ignore[return-value]


@app.command()
@handles_errors
def version(as_json: JsonFlag = False) -> None:
    """Print Parity's version."""
    emit({"version": __version__}, as_json, f"parity {__version__}")


@app.command()
@handles_errors
def doctor(as_json: JsonFlag = False) -> None:
    """Check every component (database, vector store, LLM engine, de-identifier)."""
    from assistant.runtime import Runtime

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    runtime = Runtime(settings)
    try:
        components = asyncio.run(runtime.readiness())
    finally:
        runtime.close()
    payload = {
        "engine": settings.engine,
        "model": settings.llm_model,
        "components": {k: v.model_dump() for k, v in components.items()},
    }
    lines = [f"engine: {settings.engine}" + (f" ({settings.llm_model})" if settings.llm_model else "")]
    lines += [f"{'ok ' if c.ok else 'BAD'} {name}: {c.detail}" for name, c in components.items()]
    emit(payload, as_json, "\n".join(lines))
    if not all(c.ok for c in components.values()):
        raise typer.Exit(1)


@app.command()
@handles_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Serve the API and web pages (embedded defaults unless PARITY_* settings say otherwise)."""
    import signal

    import uvicorn

    from assistant.api.app import create_app
    from assistant.bootstrap import bootstrap
    from assistant.copilot import offload as copilot_offload
    from assistant.logs import log_config
    from guardrails.deid import get_deidentifier

    def stop(signum: int, frame: object) -> None:
        raise typer.Exit(0)

    # uvicorn shuts down gracefully on SIGTERM, puts this handler back and raises the signal again:
    # the process then leaves through the `finally` below and the normal exit, which writes the
    # last queued log lines and stops the helper process (the default action would just end it)
    signal.signal(signal.SIGTERM, stop)
    settings = get_settings()
    bootstrap(settings)
    deidentifier = get_deidentifier()  # built now, so the log filter can redact from the first line on
    if deidentifier.helper is not None:
        deidentifier.helper.warm()  # long notes are shared with the helper process from the first request
        copilot_offload.warm(deidentifier.helper)  # and half of a long note's co-pilot detectors
    try:
        uvicorn.run(
            create_app(settings),
            host=host or settings.host,
            port=port or settings.port,
            log_config=log_config(),  # every log line passes the PHI redaction filter
        )
    finally:
        if deidentifier.helper is not None:
            deidentifier.helper.close()


@app.command("eval")
@handles_errors
def eval_command(
    suite: Annotated[str, typer.Argument(help="Suite name, e.g. deid, or all (every suite, reports, gate).")],
    dataset: Annotated[Path | None, typer.Option(help="Dataset file overriding the suite's.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="Fixed CI subset.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most N cases per set.")] = None,
    out: Annotated[Path | None, typer.Option(help="With all: report folder (default var/eval/<timestamp>/).")] = None,
    gate: Annotated[bool, typer.Option("--gate", help="With all: exit 1 when a metric misses its threshold.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Run an evaluation suite (or all of them, with reports) and print its metrics."""
    from eval.runner import SuiteOptions, run_suite

    if suite == "all":
        from eval.report.run import evaluate_all

        summary = evaluate_all(SuiteOptions(quick=quick, limit=limit), out=out, gate=gate)
        verdict = "passed" if summary["gate"]["ok"] else "FAILED: " + "; ".join(summary["gate"]["failures"])
        human = "\n".join(
            [f"report: {summary['out']}", f"gate: {verdict}"]
            + [f"  {name}: {summary['seconds'].get(name)} s" for name in summary["suites"]]
        )
        emit(summary, as_json, human)
        if gate and not summary["gate"]["ok"]:
            raise typer.Exit(1)
        return
    if os.environ.get("PARITY_EVAL_LLM_CACHE"):  # litellm is imported only when the cache is asked for
        from eval.llm_cache import cache_requested, enable_llm_cache

        if cache_requested():
            enable_llm_cache()
    report = run_suite(suite, SuiteOptions(dataset=dataset, quick=quick, limit=limit))
    human = "\n".join(
        [f"suite {report.suite}: n={report.n}"]
        + [f"  {k}: {json.dumps(v, default=str)}" for k, v in report.metrics.items()]
    )
    emit(report.model_dump(mode="json"), as_json, human)


def _read_input(source: str, limit: int) -> str:
    from assistant.inputs import decode_text

    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise ParityError(f"no such file: {source}", "FILE")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    return decode_text(data, "FILE", limit)


@app.command()
@handles_errors
def deid(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="Text file, or - for stdin.")],
    scan_only: Annotated[bool, typer.Option("--scan", help="Only report PHI findings.")] = False,
    case: Annotated[str | None, typer.Option(help="Case id: consistent placeholders, vault entry.")] = None,
    shift_dates: Annotated[int | None, typer.Option(help="Shift full dates by N days.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """De-identify a text (placeholders for every Safe Harbor identifier)."""
    from assistant.deidentify import DeidentifyRequest, deidentify_text, scan_text
    from assistant.runtime import Runtime

    settings = get_settings()
    text = _read_input(source, settings.max_input_bytes)
    runtime = Runtime(settings)
    try:
        if scan_only:
            found = scan_text(runtime, text)
            human = f"{len(found.findings)} finding(s): " + ", ".join(
                f"{f.type}@{f.start}-{f.end}" for f in found.findings
            )
            emit(found.model_dump(), as_json, human)
            return
        result = deidentify_text(
            runtime, DeidentifyRequest(text=text, case_id=case, date_shift_days=shift_dates)
        )
        emit(result.model_dump(), as_json, result.text)
    finally:
        runtime.close()


@app.command()
@handles_errors
def check(
    note_file: Annotated[str, typer.Argument(metavar="NOTE_FILE|-", help="Progress note (text), or - for stdin.")],
    cpt: Annotated[str, typer.Option(help="Primary CPT code.")],
    addon: Annotated[list[str] | None, typer.Option("--addon", help="Add-on or E/M code (repeatable).")] = None,
    payer: Annotated[str | None, typer.Option(help="Payer id (default: baseline rules).")] = None,
    minutes: Annotated[int | None, typer.Option(help="Billed minutes (default: read from the note).")] = None,
    date: Annotated[str | None, typer.Option(help="Date of service YYYY-MM-DD.")] = None,
    modality: Annotated[str | None, typer.Option(help="individual, family or group.")] = None,
    pos: Annotated[str | None, typer.Option(help="Place of service (two digits).")] = None,
    modifier: Annotated[list[str] | None, typer.Option("--modifier", help="Modifier (repeatable).")] = None,
    transcript: Annotated[str | None, typer.Option(help="Session transcript file (fills suggestions).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Check a note against the payer's documentation checklist and billing rules."""
    from assistant.copilot.models import CheckRequest
    from assistant.copilot.service import check_note
    from assistant.runtime import Runtime

    settings = get_settings()
    text = _read_input(note_file, settings.max_input_bytes)
    transcript_text = _read_input(transcript, settings.max_input_bytes) if transcript else None
    if modality is not None and modality not in ("individual", "family", "group"):
        raise ParityError("must be individual, family or group", "--modality")
    request = CheckRequest.model_validate({
        "note": text, "cpt": cpt, "addons": addon or [], "payer": payer, "minutes": minutes,
        "date": _date_option(date, "--date"), "modality": modality, "pos": pos, "modifiers": modifier or [],
        "transcript": transcript_text,
    })
    runtime = Runtime(settings)
    try:
        result = asyncio.run(check_note(runtime, request))
    finally:
        runtime.close()
    marks = {"met": "✔", "partial": "◐", "missing": "✘"}
    lines = [f"{result.rule_pack.id} {result.rule_pack.version} · {result.cpt}"]
    for item in result.items:
        lines.append(f"{marks[item.status]} {item.label}")
        if item.suggestion:
            lines.append(f"    → {item.suggestion}")
    lines += [f"[{c.status}] {c.check}: {c.message}" for c in result.code_checks]
    emit(result.model_dump(mode="json"), as_json, "\n".join(lines))


@app.command()
@handles_errors
def draft(
    transcript_file: Annotated[str, typer.Argument(metavar="TRANSCRIPT_FILE|-", help="Transcript (text, .vtt, .srt, .json).")],
    note_format: Annotated[str | None, typer.Option("--format", help="SOAP, DAP, BIRP or GIRP.")] = None,
    input_format: Annotated[str | None, typer.Option("--input-format", help="plain, vtt, srt or json (default: detected).")] = None,
    cpt: Annotated[str | None, typer.Option(help="Check the draft against this code's checklist.")] = None,
    addon: Annotated[list[str] | None, typer.Option("--addon", help="Add-on or E/M code (repeatable).")] = None,
    payer: Annotated[str | None, typer.Option(help="Payer id for the check.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Billed minutes (default: from timestamps).")] = None,
    date: Annotated[str | None, typer.Option(help="Date of service YYYY-MM-DD.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Draft a progress note from a session transcript (every sentence cites its lines)."""
    from assistant.runtime import Runtime
    from assistant.scribe.models import DraftRequest
    from assistant.scribe.service import draft_note

    settings = get_settings()
    text = _read_input(transcript_file, settings.max_input_bytes)
    if note_format is not None and note_format.upper() not in ("SOAP", "DAP", "BIRP", "GIRP"):
        raise ParityError("must be SOAP, DAP, BIRP or GIRP", "--format")
    if input_format is not None and input_format not in ("plain", "vtt", "srt", "json"):
        raise ParityError("must be plain, vtt, srt or json", "--input-format")
    request = DraftRequest.model_validate({
        "transcript": text, "format": note_format.upper() if note_format else None, "input_format": input_format,
        "cpt": cpt, "addons": addon or [], "payer": payer, "minutes": minutes, "date": _date_option(date, "--date"),
    })
    runtime = Runtime(settings)
    try:
        result = asyncio.run(draft_note(runtime, request))
    finally:
        runtime.close()
    emit(result.model_dump(mode="json"), as_json, result.text)


appeal_app = typer.Typer(help="Denials: classify, route, and draft cited appeal letters.", no_args_is_help=True)
app.add_typer(appeal_app, name="appeal")


def _read_bytes(source: str, field: str, limit: int) -> bytes:
    path = Path(source)
    if not path.is_file():
        raise ParityError(f"no such file: {source}", field)
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ParityError(f"file is over the limit of {limit} bytes", field)
    if not data.strip():
        raise ParityError("file is empty", field)
    return data


@appeal_app.command("classify")
@handles_errors
def appeal_classify(
    denial_file: Annotated[str, typer.Argument(metavar="DENIAL_FILE", help="Denial letter / EOB (.txt, .pdf) or X12 835.")],
    claim: Annotated[str | None, typer.Option(help="Claim number, for an 835 holding several claims.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Classify a denial: root cause, appealability, action, routes, deadline and appeal level."""
    from assistant.appeals.service import classify_file
    from assistant.runtime import Runtime

    settings = get_settings()
    data = _read_bytes(denial_file, "DENIAL_FILE", settings.max_input_bytes)
    runtime = Runtime(settings)
    try:
        result = classify_file(runtime, data, Path(denial_file).name, claim)
    finally:
        runtime.close()
    human = (f"{result.root_cause} → {result.action}; routes {', '.join(result.routes)}; "
             f"deadline {result.deadline or '-'} ({result.level or 'no appeal'})")
    emit(result.model_dump(mode="json", exclude={"basis", "deadline_source"}) | {
        "basis": result.basis, "deadline_source": result.deadline_source}, as_json, human)


@appeal_app.command("draft")
@handles_errors
def appeal_draft(
    denial_file: Annotated[str, typer.Argument(metavar="DENIAL_FILE", help="Denial letter / EOB (.txt, .pdf) or X12 835.")],
    note: Annotated[list[str] | None, typer.Option("--note", help="Progress note file (repeatable).")] = None,
    plan: Annotated[str | None, typer.Option(help="Treatment plan file.")] = None,
    payer: Annotated[str | None, typer.Option(help="Payer id (default: detected from the denial).")] = None,
    claim: Annotated[str | None, typer.Option(help="Claim number, for an 835 holding several claims.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the letter (md, html, pdf) and the evidence packet here.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Draft an appeal letter answering the payer's criteria with quotes from the record."""
    from assistant.appeals.evidence import document
    from assistant.appeals.service import draft_appeal
    from assistant.runtime import Runtime

    settings = get_settings()
    data = _read_bytes(denial_file, "DENIAL_FILE", settings.max_input_bytes)
    docs = [document(Path(n).name, _read_input(n, settings.max_input_bytes)) for n in note or []]
    if plan:
        docs.append(document(Path(plan).name, _read_input(plan, settings.max_input_bytes), kind="treatment plan"))
    runtime = Runtime(settings)
    try:
        result = asyncio.run(draft_appeal(runtime, data, Path(denial_file).name, docs, claim=claim, payer=payer, out=out))
    finally:
        runtime.close()
    payload = result.model_dump(mode="json")
    emit(payload, as_json, result.letter_markdown or "\n".join(result.warnings))
    if result.letter_markdown and not result.ready:
        sys.stderr.write("parity: warning: the letter failed citation checks and is not ready to send\n")


audit_app = typer.Typer(help="Tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
@handles_errors
def audit_verify(as_json: JsonFlag = False) -> None:
    """Recompute the audit chain; exit 1 naming the first altered, moved or missing event."""
    from assistant.audit import AuditLog
    from assistant.runtime import Runtime

    runtime = Runtime(get_settings())
    try:
        result = AuditLog(runtime.engine).verify()
    finally:
        runtime.close()
    human = (f"audit chain ok: {result.events} events, head {result.head or '-'}" if result.ok
             else f"audit chain BROKEN at seq {result.first_bad}: {result.reason}")
    emit(result.model_dump(), as_json, human)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("export")
@handles_errors
def audit_export(
    case: Annotated[str | None, typer.Option(help="Only this case's events.")] = None,
    since: Annotated[str | None, typer.Option(help="Only events on or after YYYY-MM-DD (UTC).")] = None,
    export_format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export audit events (stdout, or --out FILE written whole or not at all)."""
    from typing import cast

    from assistant.audit import AuditLog, ExportFormat, render
    from assistant.runtime import Runtime

    if export_format not in ("jsonl", "csv"):
        raise ParityError("must be jsonl or csv", "--format")
    day = _date_option(since, "--since")
    runtime = Runtime(get_settings())
    try:
        events = AuditLog(runtime.engine).events(case_id=case, since=day)
    finally:
        runtime.close()
    text, count = render(events, cast(ExportFormat, export_format)), len(events)
    if out is None and not as_json:
        sys.stdout.write(text)
        return
    summary: dict[str, Any] = {"format": export_format, "events": count}
    if out is None:
        emit(summary | {"export": text}, as_json)
        return
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    emit(summary | {"out": str(out)}, as_json, f"{count} events written to {out}")


users_app = typer.Typer(help="Users, roles and API tokens of a practice.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _user_store() -> tuple[Any, Any]:
    """A user store and its runtime (the caller closes the runtime)."""
    from assistant.auth.users import UserStore
    from assistant.runtime import Runtime

    runtime = Runtime(get_settings())
    return runtime, UserStore(runtime.engine)


@users_app.command("add")
@handles_errors
def users_add(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    role: Annotated[str, typer.Option(help="clinician, biller, compliance or admin.")],
    tenant: Annotated[str, typer.Option(help="Practice the user belongs to.")],
    as_json: JsonFlag = False,
) -> None:
    """Create a user and a first API token (shown this once only)."""
    runtime, store = _user_store()
    try:
        user = store.create_user(name, role, tenant)
        issued = store.issue(user.id)
    finally:
        runtime.close()
    payload = {"user": user.model_dump(), "token": issued.token, "token_id": issued.id}
    emit(payload, as_json, f"{user.id} {user.role}@{user.tenant}\ntoken (shown once): {issued.token}")


@users_app.command("list")
@handles_errors
def users_list(
    tenant: Annotated[str | None, typer.Option(help="Only this practice.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List users and their tokens' ids (never the tokens)."""
    runtime, store = _user_store()
    try:
        rows = [u.model_dump() | {"tokens": [t.model_dump(mode="json") for t in store.list_tokens(u.id)]}
                for u in store.list_users(tenant)]
    finally:
        runtime.close()
    human = "\n".join(f"{r['id']} {r['role']:10} {r['tenant']} {r['name']}{'' if r['active'] else ' (inactive)'}"
                      for r in rows)
    emit({"users": rows}, as_json, human or "no users")


@users_app.command("token")
@handles_errors
def users_token(
    user_id: Annotated[str, typer.Argument(metavar="USER_ID", help="User to issue a token for.")],
    as_json: JsonFlag = False,
) -> None:
    """Issue another API token for a user (shown this once only)."""
    runtime, store = _user_store()
    try:
        issued = store.issue(user_id)
    finally:
        runtime.close()
    emit({"user_id": user_id, "token": issued.token, "token_id": issued.id}, as_json,
         f"token {issued.id} (shown once): {issued.token}")


@users_app.command("revoke")
@handles_errors
def users_revoke(
    token_id: Annotated[str, typer.Argument(metavar="TOKEN_ID", help="Token to revoke.")],
    as_json: JsonFlag = False,
) -> None:
    """Revoke an API token for good."""
    runtime, store = _user_store()
    try:
        store.revoke(token_id)
    finally:
        runtime.close()
    emit({"revoked": token_id}, as_json, f"revoked {token_id}")


case_app = typer.Typer(help="Cases with review gates (note and appeal).", no_args_is_help=True)
app.add_typer(case_app, name="case")


def _case_service() -> Any:
    from assistant.runtime import Runtime
    from assistant.workflows.service import CaseService

    return CaseService(Runtime(get_settings()))


@case_app.command("note")
@handles_errors
def case_note(
    transcript_file: Annotated[str, typer.Argument(metavar="TRANSCRIPT_FILE|-")],
    cpt: Annotated[str | None, typer.Option(help="CPT code for the checklist.")] = None,
    payer: Annotated[str | None, typer.Option(help="Payer id.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Billed minutes.")] = None,
    owner: Annotated[str, typer.Option(help="Owning clinician id.")] = "local",
    tenant: Annotated[str, typer.Option(help="Practice.")] = "local",
    as_json: JsonFlag = False,
) -> None:
    """Start a note case; it stops at the clinician's review gate."""
    text = _read_input(transcript_file, get_settings().max_input_bytes)
    view = _case_service().start_note(text, owner=owner, tenant=tenant, cpt=cpt, payer=payer, minutes=minutes)
    emit(view.model_dump(mode="json"), as_json, f"{view.case_id} {view.status}")


@case_app.command("show")
@handles_errors
def case_show(case_id: str, as_json: JsonFlag = False) -> None:
    """A case, its pending gate, draft and checklist."""
    view = _case_service().view(case_id)
    emit(view.model_dump(mode="json"), as_json, f"{view.case_id} {view.kind} {view.status}")


@case_app.command("decide")
@handles_errors
def case_decide(
    case_id: str,
    action: Annotated[str, typer.Option(help="approve, edit, reject or request_clinical_input.")],
    text: Annotated[str | None, typer.Option(help="Edited text (edit).")] = None,
    reason: Annotated[str | None, typer.Option(help="Reason (reject, request_clinical_input).")] = None,
    actor: Annotated[str, typer.Option(help="Who decides.")] = "local",
    as_json: JsonFlag = False,
) -> None:
    """Answer a case's review gate."""
    from assistant.workflows.state import ReviewDecision

    decision = ReviewDecision.model_validate({"action": action, "text": text, "reason": reason, "actor": actor})
    view = _case_service().decide(case_id, decision)
    emit(view.model_dump(mode="json"), as_json, f"{view.case_id} {view.status}")


@case_app.command("resume")
@handles_errors
def case_resume(as_json: JsonFlag = False) -> None:
    """Carry on every case that stopped between steps (after a crash)."""
    resumed = _case_service().resume_pending()
    emit({"resumed": resumed}, as_json, f"resumed {len(resumed)} case(s)")


auth_app = typer.Typer(help="Authorization coordination: briefs, daily pass, authorizations.", no_args_is_help=True)
app.add_typer(auth_app, name="auth")
DateOption = Annotated[str | None, typer.Option("--date", help="Day (YYYY-MM-DD); default today.")]


def _day(value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--date: {value!r} is not a YYYY-MM-DD date")
        raise


def _authorizations() -> Any:
    from assistant.runtime import Runtime

    return Runtime(get_settings()).authorizations


@auth_app.command("add")
@handles_errors
def auth_add(
    file: Annotated[str, typer.Argument(metavar="AUTHORIZATION_JSON|-", help="Authorization as JSON.")],
    tenant: Annotated[str, typer.Option(help="Practice.")] = "local",
    as_json: JsonFlag = False,
) -> None:
    """Record an authorization (patient episode, visits, dates, review date, care team)."""
    from assistant.authorizations.models import AuthorizationCreate

    body = AuthorizationCreate.model_validate_json(_read_input(file, get_settings().max_input_bytes))
    auth = _authorizations().create(body, tenant)
    emit(auth.model_dump(mode="json"), as_json, f"{auth.id} review {auth.review_date}")


@auth_app.command("note")
@handles_errors
def auth_note(
    authorization_id: str,
    note_file: Annotated[str, typer.Argument(metavar="NOTE_FILE|-")],
    author: Annotated[str, typer.Option(help="Clinician who signed the note.")],
    note_id: Annotated[str | None, typer.Option(help="Stable note id (default: the file's SHA-256).")] = None,
    cpt: Annotated[str, typer.Option(help="CPT code billed.")] = "90834",
    date: DateOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Count a signed note toward the authorization; prints the items it meets."""
    import hashlib

    text = _read_input(note_file, get_settings().max_input_bytes)
    nid = note_id or hashlib.sha256(text.encode()).hexdigest()[:40]
    met = _authorizations().record_note(authorization_id, nid, author, _day(date), text, cpt)
    emit({"authorization_id": authorization_id, "note_id": nid, "met": met}, as_json, ", ".join(met) or "none met")


@auth_app.command("brief")
@handles_errors
def auth_brief(
    clinician: Annotated[str, typer.Option(help="Clinician (user id).")],
    date: DateOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The clinician's pre-session brief: only their open items, per episode under review soon."""
    brief = _authorizations().brief(clinician, _day(date))
    emit(brief.model_dump(mode="json"), as_json, "\n".join(e.text for e in brief.entries) or "nothing open")


@auth_app.command("run-daily")
@handles_errors
def auth_run_daily(date: DateOption = None, as_json: JsonFlag = False) -> None:
    """The daily pass: close met items, end expired authorizations, send due alerts (once)."""
    run = _authorizations().run_daily(_day(date))
    emit(run.model_dump(mode="json"), as_json, f"{len(run.alerts)} new alert(s)")


@auth_app.command("renew")
@handles_errors
def auth_renew(authorization_id: str, as_json: JsonFlag = False) -> None:
    """The payer renewed the authorization: its alerts stop."""
    auth = _authorizations().renew(authorization_id)
    emit(auth.model_dump(mode="json"), as_json, f"{auth.id} {auth.status}")


policies_app = typer.Typer(help="Payer policy knowledge base.", no_args_is_help=True)
app.add_typer(policies_app, name="policies")


def _date_option(value: str | None, field: str) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParityError(f"{value!r} is not a date (YYYY-MM-DD)", field) from None


@policies_app.command("ingest")
@handles_errors
def policies_ingest(
    paths: Annotated[list[Path], typer.Argument(help="Policy files (.md .html .pdf .txt) or folders.")],
    payer: Annotated[str | None, typer.Option(help="Payer id (overrides the file).")] = None,
    plan: Annotated[str | None, typer.Option(help="Plan name.")] = None,
    policy_id: Annotated[str | None, typer.Option("--policy-id", help="Policy id.")] = None,
    version: Annotated[str | None, typer.Option(help="Policy version.")] = None,
    title: Annotated[str | None, typer.Option(help="Policy title.")] = None,
    effective_from: Annotated[str | None, typer.Option("--effective-from", help="YYYY-MM-DD.")] = None,
    effective_to: Annotated[str | None, typer.Option("--effective-to", help="YYYY-MM-DD.")] = None,
    codes: Annotated[str | None, typer.Option(help="CPT codes, comma-separated.")] = None,
    state: Annotated[str | None, typer.Option(help="State.")] = None,
    source: Annotated[str | None, typer.Option(help="Source URL or file.")] = None,
    tenant: Annotated[str | None, typer.Option(help="Practice owning the policy (default: public).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Ingest policy documents; a bad document stops the run before anything is written."""
    from assistant.runtime import Runtime
    from retrieval.ingest import ingest_paths

    overrides = {
        "payer": payer, "plan": plan, "policy_id": policy_id, "version": version, "title": title,
        "effective_from": effective_from, "effective_to": effective_to, "codes": codes,
        "state": state, "source": source, "tenant": tenant,
    }
    runtime = Runtime(get_settings())
    try:
        reports = ingest_paths(runtime.policy_store, list(paths), overrides, progress=not as_json)
    finally:
        runtime.close()
    payload = {"ingested": [r.model_dump() for r in reports]}
    human = "\n".join(f"{r.status:9} {r.payer} {r.policy_id} v{r.version}: {r.chunks} chunks" for r in reports)
    emit(payload, as_json, human or "nothing to ingest")


@policies_app.command("search")
@handles_errors
def policies_search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    payer: Annotated[str | None, typer.Option(help="Only this payer.")] = None,
    cpt: Annotated[str | None, typer.Option(help="Only policies governing this CPT code.")] = None,
    date: Annotated[str | None, typer.Option(help="Only versions in force on YYYY-MM-DD.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of results.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense or sparse.")] = "hybrid",
    tenant: Annotated[str | None, typer.Option(help="Practice (default: public only).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Search payer policies (hybrid dense + lexical, hard filters)."""
    from assistant.runtime import Runtime

    if mode not in ("hybrid", "dense", "sparse"):
        raise ParityError("must be hybrid, dense or sparse", "--mode")
    day = _date_option(date, "--date")
    runtime = Runtime(get_settings())
    try:
        results = runtime.policy_store.search(query, payer=payer, cpt=cpt, date=day, k=k, tenant=tenant, mode=mode)
    finally:
        runtime.close()
    payload = {"results": [r.model_dump(mode="json", exclude={"section_path"}) for r in results]}
    human = "\n".join(
        f"{r.score:.3f} {r.payer} {r.policy_id} v{r.version} §{r.section}: {r.text[:90]!r}" for r in results
    )
    emit(payload, as_json, human or "no results")


@policies_app.command("list")
@handles_errors
def policies_list(
    tenant: Annotated[str | None, typer.Option(help="Practice (default: public only).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List stored policy versions."""
    from assistant.runtime import Runtime

    runtime = Runtime(get_settings())
    try:
        rows = runtime.policy_store.list_policies(tenant=tenant)
    finally:
        runtime.close()
    human = "\n".join(
        f"{r['payer']} {r['policy_id']} v{r['version']} from {r['effective_from']} to {r['effective_to'] or '-'}: "
        f"{r['chunks']} chunks" for r in rows
    )
    emit({"policies": rows}, as_json, human or "no policies")


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
