"""Items and routing, the 5/3/1-day schedule on a fixed date, closing on a signed note, renewal, idempotence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.authorizations.models import AuthorizationCreate, CareTeamMember
from assistant.authorizations.service import AuthorizationService, UrgencyPolicy
from assistant.authorizations.store import AuthorizationStore
from assistant.copilot.rulepacks import get_registry
from assistant.database import make_engine
from assistant.runtime import Runtime
from assistant.settings import Settings
from retrieval.policy_store import PolicyStore

REVIEW = dt.date(2025, 3, 20)
THIN_NOTE = "Individual session, 45 minutes. Client attended. Discussed the week. Next session in one week."
THERAPY_NOTE = (
    "Session 10:00-10:50 (50 minutes), individual psychotherapy.\n"
    "Client reports panic attacks 2 times this week, down from 5; PHQ-9 = 11 and GAD-7 = 12 today.\n"
    "Panic still keeps her from driving to work; she missed one shift.\n"
    "Used interoceptive exposure and cognitive restructuring.\n"
    "Progress on goal 1 (fewer than 1 panic attack per week by June): attacks down from 5 to 2 per week.\n"
    "Denies suicidal or homicidal ideation; safety plan reviewed.\n"
    "Continued weekly CBT is needed because avoidance still limits work; step down to biweekly once attacks "
    "are under 1 per week.\n"
    "Plan: continue weekly exposure. Signed: J. Rivera, LCSW, 2025-03-12\n"
)
MED_NOTE = (
    "Medication management visit, 20 minutes. Sertraline 100 mg daily since the dose change on 02/20.\n"
    "Client reports taking her medication as prescribed, no missed doses per pill count.\n"
    "Side effects: mild nausea the first week, now resolved; tolerating well.\n"
    "Signed: A. Chen, MD, 2025-03-13\n"
)


@pytest.fixture
def service(tmp_path: Path, corpus_store: PolicyStore) -> AuthorizationService:
    runtime = Runtime(Settings(data_dir=tmp_path, env="test"))
    runtime.__dict__["policy_store"] = corpus_store
    store = AuthorizationStore(make_engine(f"sqlite:///{(tmp_path / 'parity.db').as_posix()}"))
    return AuthorizationService(store, get_registry(), runtime.note_checker, UrgencyPolicy(visits_warning=2))


def authorize(svc: AuthorizationService, team: list[tuple[str, str]], **kw: Any) -> str:
    body = AuthorizationCreate(
        patient_ref="EP-1042", payer="lakeshore-health", auth_ref="LK-A-55", visits_authorized=kw.get("visits", 12),
        visits_used=kw.get("used", 4), start=dt.date(2025, 1, 6), end=dt.date(2025, 4, 6), review_date=REVIEW,
        care_team=[CareTeamMember(user_id=u, role=r) for u, r in team])  # type: ignore[arg-type]
    return svc.store.create(body, tenant="t1").id


def test_items_are_routed_by_role_and_cite_the_payers_policy(service: AuthorizationService) -> None:
    auth_id = authorize(service, [("ther-1", "therapist"), ("pres-1", "prescriber")])
    brief = service.brief("ther-1", dt.date(2025, 3, 14))
    (entry,) = brief.entries
    assert {i.owner_role for i in entry.items} == {"therapist"}
    assert {i.item_id for i in entry.items} >= {"symptom_measures", "goal_progress", "risk_update"}
    assert entry.text.startswith("Next note must address: (1) ") and "review on 2025-03-20" in entry.text
    measures = next(i for i in entry.items if i.item_id == "symptom_measures")
    assert measures.policy is not None and (measures.policy.policy_id, measures.policy.section) == ("BH-UM-07", "3.2")
    prescriber = service.brief("pres-1", dt.date(2025, 3, 14)).entries[0]
    assert {i.item_id for i in prescriber.items} == {"medication_adherence", "medication_side_effects"}
    assert prescriber.authorization_id == auth_id


def test_no_prescriber_on_the_team_means_no_medication_items(service: AuthorizationService) -> None:
    authorize(service, [("ther-1", "therapist")])
    items = {i.item_id for i in service.brief("ther-1", dt.date(2025, 3, 14)).entries[0].items}
    assert not items & {"medication_adherence", "medication_side_effects"}


def test_brief_is_empty_until_the_review_is_near(service: AuthorizationService) -> None:
    authorize(service, [("ther-1", "therapist")])
    assert service.brief("ther-1", REVIEW - dt.timedelta(days=30)).entries == []
    assert service.brief("someone-else", dt.date(2025, 3, 14)).entries == []


def test_a_signed_note_closes_the_items_it_meets_and_only_those(service: AuthorizationService) -> None:
    auth_id = authorize(service, [("ther-1", "therapist"), ("pres-1", "prescriber")])
    assert service.record_note(auth_id, "n-thin", "ther-1", dt.date(2025, 3, 10), THIN_NOTE) == []
    met = service.record_note(auth_id, "n-1", "ther-1", dt.date(2025, 3, 12), THERAPY_NOTE)
    assert {"symptom_measures", "goal_progress", "risk_update", "continued_care_rationale"} <= set(met)
    assert "medication_adherence" not in met
    assert service.brief("ther-1", dt.date(2025, 3, 14)).entries == [] or all(
        i.item_id not in met for i in service.brief("ther-1", dt.date(2025, 3, 14)).entries[0].items)
    med = service.record_note(auth_id, "n-2", "pres-1", dt.date(2025, 3, 13), MED_NOTE)
    assert set(med) == {"medication_adherence", "medication_side_effects"}
    assert service.brief("pres-1", dt.date(2025, 3, 14)).entries == []
    assert service.store.get(auth_id).visits_used == 4 + 3
    service.record_note(auth_id, "n-2", "pres-1", dt.date(2025, 3, 13), MED_NOTE)  # the same note again
    assert service.store.get(auth_id).visits_used == 4 + 3


def test_five_three_one_day_schedule_on_a_fixed_clock_and_idempotent_runs(service: AuthorizationService) -> None:
    auth_id = authorize(service, [("ther-1", "therapist"), ("pres-1", "prescriber"), ("cm-1", "case_manager")])
    levels: dict[int, list[tuple[str, str]]] = {}
    for before in range(8, -1, -1):
        day = REVIEW - dt.timedelta(days=before)
        run = service.run_daily(day)
        levels[before] = sorted((a.recipient, a.level) for a in run.alerts)
        assert service.run_daily(day).alerts == []  # a second pass on the same day sends nothing new
    assert levels[8] == levels[7] == levels[6] == []
    assert levels[5] == [("pres-1", "notice"), ("ther-1", "notice")]
    assert levels[4] == []
    assert levels[3] == [("pres-1", "reminder"), ("ther-1", "reminder")]
    assert levels[2] == []
    assert levels[1] == [("cm-1", "escalated"), ("pres-1", "escalated"), ("ther-1", "escalated")]
    assert levels[0] == []
    assert len(service.store.alerts(auth_id=auth_id)) == 7


def test_alerts_stop_for_what_is_documented_and_after_renewal(service: AuthorizationService) -> None:
    auth_id = authorize(service, [("ther-1", "therapist"), ("pres-1", "prescriber")])
    first = service.run_daily(REVIEW - dt.timedelta(days=5))
    assert {a.recipient for a in first.alerts} == {"ther-1", "pres-1"}
    service.record_note(auth_id, "n-2", "pres-1", REVIEW - dt.timedelta(days=4), MED_NOTE)
    reminder = service.run_daily(REVIEW - dt.timedelta(days=3))
    assert [a.recipient for a in reminder.alerts] == ["ther-1"]  # the prescriber's items are documented
    assert "still open" in reminder.alerts[0].text and "PHQ-9" in reminder.alerts[0].text
    service.renew(auth_id)
    assert service.run_daily(REVIEW - dt.timedelta(days=1)).alerts == []
    assert service.brief("ther-1", REVIEW - dt.timedelta(days=1)).entries == []


def test_visit_cap_warns_once_when_few_visits_remain(service: AuthorizationService) -> None:
    authorize(service, [("ther-1", "therapist")], visits=12, used=10)
    run = service.run_daily(REVIEW - dt.timedelta(days=20))
    assert [(a.recipient, a.level) for a in run.alerts] == [("ther-1", "visit_cap")]
    assert "2 authorized visit(s) left" in run.alerts[0].text
    assert service.run_daily(REVIEW - dt.timedelta(days=19)).alerts == []


def test_expired_authorization_ends_and_goes_quiet(service: AuthorizationService) -> None:
    auth_id = authorize(service, [("ther-1", "therapist")])
    assert service.run_daily(dt.date(2025, 4, 7)).alerts == []
    assert service.store.get(auth_id).status == "ended"


def test_bad_authorization_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="review_date"):
        AuthorizationCreate(patient_ref="EP-1", auth_ref="A", visits_authorized=4, start=dt.date(2025, 1, 1),
                            end=dt.date(2025, 2, 1), review_date=dt.date(2025, 3, 1),
                            care_team=[CareTeamMember(user_id="u", role="therapist")])


def test_signing_a_linked_note_case_closes_items_automatically(tmp_path: Path) -> None:
    from assistant.workflows.state import ReviewDecision
    from tests.workflows.test_note_case import service as case_service

    cases = case_service(tmp_path)
    auths = cases.runtime.authorizations
    body = AuthorizationCreate(patient_ref="EP-3", payer="lakeshore-health", auth_ref="A-3", visits_authorized=12,
                               start=dt.date(2025, 1, 6), end=dt.date(2035, 4, 6), review_date=dt.date(2035, 3, 20),
                               care_team=[CareTeamMember(user_id="clin-1", role="therapist")])
    auth_id = auths.store.create(body, tenant="t1").id
    transcript = ("Therapist: Any thoughts of killing yourself?\nClient: No, none, and I went over my safety plan.\n"
                  "Therapist: Your PHQ-9 today is 11, down from 17.")
    view = cases.start_note(transcript, owner="clin-1", tenant="t1", cpt="90834", authorization_id=auth_id)
    assert auths.store.met_items(auth_id, body.start, dt.date.today()) == {}
    cases.decide(view.case_id, ReviewDecision(action="approve", actor="clin-1"))
    met = auths.store.met_items(auth_id, body.start, dt.date.today())
    assert met.get("symptom_measures") == view.case_id  # the PHQ-9 score in the signed note
    assert auths.store.get(auth_id).visits_used == 1


def test_the_service_schedules_the_daily_pass_when_configured(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    settings = Settings(data_dir=tmp_path, env="test", auth_daily_at="06:30", load_sample_policies=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
    with pytest.raises(ValueError, match="auth_daily_at"):
        Settings(data_dir=tmp_path, env="test", auth_daily_at="25:00")


def test_daily_job_runs_todays_pass() -> None:
    from assistant.authorizations.scheduler import daily_job

    class Recorder:
        def __init__(self) -> None:
            self.days: list[dt.date] = []

        def run_daily(self, day: dt.date) -> Any:
            self.days.append(day)
            from assistant.authorizations.models import DailyRun

            return DailyRun(date=day, authorizations=0, items_closed=0, alerts=[], skipped_renewed=0)

    rec = Recorder()
    assert daily_job(rec) == 0 and rec.days == [dt.date.today()]


def test_unknown_payer_or_uncovered_date_is_refused_and_never_breaks_the_daily_pass(service: AuthorizationService) -> None:
    from assistant.errors import InvalidInputError

    good = AuthorizationCreate(patient_ref="EP-9", payer="lakeshore-health", auth_ref="A", visits_authorized=4,
                               start=dt.date(2025, 1, 6), end=dt.date(2025, 4, 6), review_date=REVIEW,
                               care_team=[CareTeamMember(user_id="ther-1", role="therapist")])
    with pytest.raises(InvalidInputError) as unknown:
        service.create(good.model_copy(update={"payer": "nobody-health"}), "t1")
    assert unknown.value.field == "payer" and "known payers" in str(unknown.value)
    old = good.model_copy(update={"start": dt.date(1990, 1, 1), "review_date": dt.date(1990, 2, 1)})
    with pytest.raises(InvalidInputError) as uncovered:
        service.create(old, "t1")
    assert uncovered.value.field == "review_date"
    service.store.create(good.model_copy(update={"payer": "nobody-health"}), "t1")  # bad data already stored
    service.create(good, "t1")
    run = service.run_daily(REVIEW - dt.timedelta(days=5))
    assert [a.recipient for a in run.alerts if a.level == "notice"] == ["ther-1"]  # the good one still alerts
