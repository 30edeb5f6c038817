"""Authorization simulation: coverage continuity and alert load with guidance, blind, and a daily broadcast.

A synthetic panel (default 120 patients, 6 months) of authorizations of 12 weeks with a concurrent review a
week before each ends; weekly therapy sessions, a prescriber visit every 4 weeks for patients on medication.
Each note covers each of its author's continued-care items with a per-clinician habit probability (notes
of varying completeness). The same random draws drive three arms:

- ``blind``: notes written without any guidance;
- ``broadcast``: every clinician with a review within 5 days gets a generic daily reminder, which nudges
  every item a little (alert fatigue keeps the nudge small);
- ``guidance``: Parity's real service — the daily pass (5/3/1-day alerts) and the pre-session brief;
  the clinician addresses each listed item with probability 0.9; a clinician alerted with no session of
  theirs before the review (typically the prescriber) writes a documentation update with the same odds.

An episode has a coverage gap when its items are not all documented by the review date (the request
goes in incomplete and is returned). Notes are checked by the real co-pilot (offline engine; results
memoized by note text, since notes are composed from a fixed set of sentences).

    .venv/bin/python -m eval.bench.auth_simulation [--patients 120] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

from assistant.authorizations.guidance import items_for
from assistant.authorizations.models import AuthorizationCreate, CareTeamMember
from assistant.authorizations.service import AuthorizationService, UrgencyPolicy
from assistant.authorizations.store import AuthorizationStore
from assistant.copilot.rulepacks import get_registry
from assistant.database import make_engine

START = dt.date(2025, 1, 6)
DAYS = 182
PERIOD = 84
SENTENCES = {
    "symptom_measures": "Client reports panic attacks {n} times this week; PHQ-9 = {s} and GAD-7 = {g} today.",
    "goal_progress": "Progress on goal 1 (fewer than 1 panic attack per week): attacks down from {m} to {n} per week.",
    "functioning": "Panic still keeps the client from driving to work; missed {k} shifts this month.",
    "risk_update": "Denies suicidal or homicidal ideation; safety plan reviewed.",
    "continued_care_rationale": "Continued weekly CBT is needed because avoidance still limits work; step down "
                                "to biweekly once attacks are under 1 per week.",
    "medication_adherence": "Taking the medication as prescribed, no missed doses per pill count.",
    "medication_side_effects": "Side effects: mild nausea at first, now resolved; tolerating well.",
}
FRAME = "Session 10:00-10:50 (50 minutes), individual psychotherapy. Used interoceptive exposure.\n{body}\n" \
        "Plan: continue weekly sessions. Signed: clinician, {day}\n"


class MemoChecker:
    """The real co-pilot, memoized by note text (the panel's notes repeat)."""

    def __init__(self, checker: Any) -> None:
        """Wrap ``checker``."""
        self.checker = checker
        self.cache: dict[str, Any] = {}

    async def check(self, request: Any) -> Any:
        """Check once per distinct (note, code, payer)."""
        key = f"{request.payer}|{request.cpt}|{request.note}"
        if key not in self.cache:
            self.cache[key] = await self.checker.check(request)
        return self.cache[key]


@dataclass
class Patient:
    """One synthetic patient episode series."""

    ref: str
    payer: str | None
    therapist: str
    prescriber: str | None
    offset: int


def panel(n: int, rng: random.Random) -> tuple[list[Patient], dict[str, dict[str, float]]]:
    """Patients and each clinician's documentation habits (probability of covering each item)."""
    therapists = [f"ther-{i}" for i in range(max(2, n // 10))]
    prescribers = [f"pres-{i}" for i in range(max(1, n // 40))]
    habits = {c: {item: rng.uniform(0.2, 0.75) for item in SENTENCES} for c in therapists + prescribers}
    patients = [Patient(f"EP-{k:04d}", rng.choice(["lakeshore-health", "summit-medicaid", None]), rng.choice(therapists),
                        rng.choice(prescribers) if rng.random() < 0.4 else None, rng.randrange(0, 28))
                for k in range(n)]
    return patients, habits


def note_text(items: list[str], rng: random.Random, day: dt.date) -> str:
    """A note covering exactly ``items`` (fixed numbers so identical coverage gives identical text)."""
    del rng
    body = "\n".join(SENTENCES[i].format(n=2, s=11, g=12, m=5, k=1) for i in sorted(items)) or "Discussed the week."
    return FRAME.format(body=body, day="signed")


def _has_session(p: Patient, recipient: str, start: dt.date, day: dt.date, review: dt.date) -> bool:
    every = 7 if recipient == p.therapist else 28
    return any((d - start).days % every == 0 for d in (day + dt.timedelta(days=k) for k in range((review - day).days + 1)))


def act_on_alert(service: AuthorizationService, alert: Any, auths: list[tuple[str, Patient]], day: dt.date,
                 rng: random.Random) -> None:
    """A clinician with no session before the review answers a specific alert with a documentation update."""
    patient = dict(auths)[alert.authorization_id]
    auth = service.store.get(alert.authorization_id)
    if not alert.items or _has_session(patient, alert.recipient, auth.start, day, auth.review_date):
        return
    role = "therapist" if alert.recipient == patient.therapist else "prescriber"
    covered = [i for i in alert.items if rng.random() < 0.9]
    service.record_note(auth.id, f"{auth.id}-{day}-{role}-update", alert.recipient, day, note_text(covered, rng, day))


def simulate(arm: str, patients: list[Patient], habits: dict[str, dict[str, float]], seed: int,
             checker: Any) -> dict[str, Any]:
    """Run one arm over the panel; return episodes, gaps and alert counts."""
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{Path(mkdtemp(prefix='parity-sim-')) / 'sim.db'}")
    service = AuthorizationService(AuthorizationStore(engine), get_registry(), checker, UrgencyPolicy())
    auths: list[tuple[str, Patient]] = []
    for p in patients:
        begin = START + dt.timedelta(days=p.offset)
        while begin < START + dt.timedelta(days=DAYS):
            team = [CareTeamMember(user_id=p.therapist, role="therapist")]
            if p.prescriber:
                team.append(CareTeamMember(user_id=p.prescriber, role="prescriber"))
            end = begin + dt.timedelta(days=PERIOD - 1)
            body = AuthorizationCreate(patient_ref=p.ref, payer=p.payer, auth_ref=f"A-{p.ref}-{begin}",
                                       visits_authorized=14, start=begin, end=end,
                                       review_date=end - dt.timedelta(days=7), care_team=team)
            auths.append((service.store.create(body, "sim").id, p))
            begin = end + dt.timedelta(days=1)
    broadcast_alerts = 0
    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        if arm == "guidance":
            for alert in service.run_daily(day).alerts:
                act_on_alert(service, alert, auths, day, rng)
        rows = {a: service.store.get(a) for a, _ in auths}  # dates and team do not change within a day
        near = {p.therapist for a, p in auths if 0 <= (rows[a].review_date - day).days <= 5}
        if arm == "broadcast":
            near |= {p.prescriber for a, p in auths if p.prescriber and 0 <= (rows[a].review_date - day).days <= 5}
            broadcast_alerts += len(near)
        for auth_id, p in auths:
            auth = rows[auth_id]
            if not auth.start <= day <= auth.end or (day - auth.start).days % 7 != 0:
                continue
            sessions = [(p.therapist, "therapist")]
            if p.prescriber and (day - auth.start).days % 28 == 0:
                sessions.append((p.prescriber, "prescriber"))
            for author, role in sessions:
                own = [i.id for i in items_for(get_registry(), auth) if i.owner == role]
                listed: set[str] = set()
                if arm == "guidance":
                    for entry in service.brief(author, day, "sim").entries:
                        if entry.authorization_id == auth_id:
                            listed = {i.item_id for i in entry.items}
                nudge = 0.1 if arm == "broadcast" and author in near else 0.0
                covered = [i for i in own if rng.random() < (0.9 if i in listed else min(1.0, habits[author][i] + nudge))]
                service.record_note(auth_id, f"{auth_id}-{day}-{role}", author, day, note_text(covered, rng, day))
    episodes = gaps = 0
    for auth_id, _ in auths:
        auth = service.store.get(auth_id)
        if auth.review_date >= START + dt.timedelta(days=DAYS):
            continue  # reviewed after the simulated window
        episodes += 1
        needed = {i.id for i in items_for(get_registry(), auth)}
        met = set(service.store.met_items(auth_id, auth.start, auth.review_date))
        gaps += bool(needed - met)
    alerts = len([a for a in service.store.alerts() if a.level != "visit_cap"]) if arm == "guidance" else broadcast_alerts
    clinicians = len({p.therapist for p in patients} | {p.prescriber for p in patients if p.prescriber})
    engine.dispose()
    return {"arm": arm, "episodes": episodes, "gaps": gaps, "no_gap_share": round(1 - gaps / max(episodes, 1), 3),
            "alerts": alerts, "alerts_per_clinician_week": round(alerts / clinicians / (DAYS / 7), 2)}


def main(argv: list[str] | None = None) -> int:
    """Run the three arms on one panel and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from assistant.runtime import Runtime
    from assistant.settings import Settings

    runtime = Runtime(Settings(data_dir=Path(mkdtemp(prefix="parity-sim-rt-")), env="test"))
    checker = MemoChecker(runtime.note_checker)
    patients, habits = panel(args.patients, random.Random(args.seed))
    rows = [simulate(arm, patients, habits, args.seed, checker) for arm in ("blind", "broadcast", "guidance")]
    if args.json:
        sys.stdout.write(json.dumps({"patients": args.patients, "days": DAYS, "arms": rows}, indent=2) + "\n")
    else:
        sys.stdout.write(f"{args.patients} patients, {DAYS} days, target no-gap share >= 0.97\n")
        sys.stdout.write("| arm | episodes reviewed | with a gap | no-gap share | alerts | alerts / clinician / week |\n")
        sys.stdout.write("|---|---|---|---|---|---|\n")
        for r in rows:
            sys.stdout.write(f"| {r['arm']} | {r['episodes']} | {r['gaps']} | {r['no_gap_share']:.3f} | {r['alerts']} "
                             f"| {r['alerts_per_clinician_week']} |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
