"""Demo evaluation data, echoing account 003 in shared/domain.

Westmoor's first cohort of seven trainee assistant practitioners is interviewed shortly after
starting, mid-way and on qualification, and their manager at each stage. What they say follows
the account's findings and how they changed over the two years: at the start, the role as job
satisfaction and a stepping stone into nurse training, nerves about study and worries about pay
(some gain, some lose their unsocial hours); mid-way, protected study time lost when the wards
are short and unclear professional responsibility; on qualification, confidence, job
satisfaction, clear career progression and two going on to an abbreviated nursing degree. The
manager expects the role to support the registered nurses, introduces it carefully to keep the
balance of staffing, struggles to cover protected learning time, and later reports a positive
impact on the wards. The answers are coded with the programme's themes, with quotes only from
those who consented. Three rounds of the physical healthcare assessment audit on each ward show
compliance improving, and five quarters of a Productive Ward local survey show service-user
satisfaction rising modestly.

Highmoor's pilot is running: its Start interviews are done and coded; its Mid-way stage is open
with most interviews still due (and past their due date), so the manager's and the lead's
dashboards have interviews to do.

Everything goes through the services, so it is validated and audited. Idempotent: stages that
exist are reused, only interviews still due are held, and audits and satisfaction results are
added only to a programme that has none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.utils import timezone

from programmes.models import Cohort, Programme

from .findings.services import (
    SatisfactionInput,
    audit_round_record,
    audit_tools_ensure_defaults,
    coding_add,
    satisfaction_record,
    themes_add_defaults,
)
from .interviews.services import interview_save, stage_close, stage_open, stages_create_defaults
from .models import Answer, AuditRound, Interview, SatisfactionResult, Stage, Subject, Theme

User = get_user_model()

# The default themes (evaluations/findings/defaults.py).
JS = "Job satisfaction"
CP = "Career progression"
REM = "Remuneration"
CR = "Clarity of responsibility"
PST = "Protected study time"
SRS = "Supporting registered staff"
SB = "Staffing balance"


@dataclass(frozen=True)
class S:
    """A sentence of a free-text answer, coded with themes; quotable if the person consented."""

    text: str
    themes: tuple[str, ...] = ()
    quote: bool = False


def q(text: str, *themes: str) -> S:
    """A coded sentence worth quoting (quoted only with consent)."""
    return S(text, themes, quote=True)


def c(text: str, *themes: str) -> S:
    """A coded sentence, not quoted."""
    return S(text, themes)


def _text(value) -> object:
    if isinstance(value, S):
        return value.text
    if isinstance(value, list):
        return " ".join(part.text if isinstance(part, S) else str(part) for part in value)
    return value


def _sentences(value) -> list[S]:
    if isinstance(value, S):
        return [value]
    if isinstance(value, list):
        return [part for part in value if isinstance(part, S)]
    return []


# --- Westmoor: the inpatient assistant practitioner programme, cohort 1 --------------------------

# Employee number -> (consents to being quoted, {stage name: answers}).
WESTMOOR_TRAINEES: dict[str, tuple[bool, dict[str, dict]]] = {
    "WM1001": (True, {  # Aisha Begum, Larch Ward: stays in the role
        "Start": {
            "background": "Band 3 healthcare assistant on Larch Ward for six years, and three "
                          "years in a care home before that. I have an NVQ level 3 in health and "
                          "social care and did the trust's phlebotomy course last year.",
            "years_in_care": 9,
            "why_applied": [
                q("I have always been the one on the ward who does the physical health checks, and "
                  "I wanted to do them properly, with the knowledge behind them.", JS),
                "Being able to do more for the patients is what keeps me in the job.",
            ],
            "hoped_next_step": "Staying in the new role",
            "pay_effect": "About the same",
            "feels_so_far": [
                "Nervous, if I'm honest: I haven't written an essay since school and the first "
                "assignment is already looming.",
                "The university days have been better than I expected and the group gets on well.",
                c("My study day is Wednesday and it is on the rota, so far so good.", PST),
            ],
            "confidence_start": 3, "support_start": 4, "study_time_agreed": "yes",
        },
        "Mid-way": {
            "going_well": [
                q("The physical health side has really come on: I do the ECGs and bloods on Larch "
                  "now and the doctors ask for me by name.", SRS, JS),
            ],
            "difficulties": [
                q("When the ward is short my study day is the first thing to go; I have lost three "
                  "Wednesdays since Christmas.", PST),
                q("I'm not always sure whether I can sign for something or whether a registered "
                  "nurse has to.", CR),
            ],
            "study_time_received": "no", "study_hours_lost": 15, "role_clarity": 2,
            "confidence_mid": 4, "mentor_support": 4,
            "change_one_thing": [
                c("Study days written into the rota and protected properly, not just when there "
                  "is cover.", PST),
            ],
        },
        "Qualification": {
            "overall_experience": [
                q("Hard work, but the best thing I have done in my career.", JS),
                q("I run the physical health clinic on Larch two mornings a week now, which frees "
                  "the nurses up for the things only they can do.", SRS),
                c("Three HCAs on Larch have asked me how to apply for the next cohort.", CP),
            ],
            "confidence_end": 5, "job_satisfaction": 5, "next_step": "Working in the new role",
            "pay_and_conditions": [
                q("About the same money once you take off the unsocial hours I used to work, but "
                  "I'm on days now, which suits my family.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": [
                q("Agree your study days with your manager before you start and keep a note of "
                  "every one you lose.", PST),
            ],
        },
    }),
    "WM1002": (True, {  # Daniel Hughes, Larch Ward: on to an abbreviated nursing degree
        "Start": {
            "background": "I've been a healthcare assistant for four years, the last two on Larch "
                          "Ward. Before that I worked in retail. I've got my Care Certificate and "
                          "an access course I did at evening classes.",
            "years_in_care": 4,
            "why_applied": [
                q("I want to be a mental health nurse, and this is a stepping stone into nurse "
                  "training that I can do while still earning.", CP),
                c("I can't afford three years as a full-time student with a mortgage, so this is "
                  "the route that works for me.", REM),
            ],
            "hoped_next_step": "Nurse training",
            "pay_effect": "I will earn less",
            "feels_so_far": [
                "Excited but a bit daunted by the academic side.",
                q("I'm worried about the money: I'll lose my night shift enhancements while I'm on "
                  "days for university, and that's a few hundred pounds a month.", REM),
            ],
            "confidence_start": 3, "support_start": 4, "study_time_agreed": "yes",
        },
        "Mid-way": {
            "going_well": [
                "The assignments are going well and I've found I actually enjoy the research side.",
                c("I'm learning so much about physical health in mental illness, things I never "
                  "thought about as an HCA.", JS),
                c("It's confirmed that I want to go on to nursing.", CP),
            ],
            "difficulties": [
                q("Protected time is protected on paper only: if there's an incident or someone "
                  "rings in sick, I get pulled back onto the floor.", PST),
                c("Money has been tight since the enhancements went.", REM),
            ],
            "study_time_received": "no", "study_hours_lost": 12, "role_clarity": 3,
            "confidence_mid": 4, "mentor_support": 5,
            "change_one_thing": [
                c("A named person to cover trainees on study days, so it doesn't fall to whoever "
                  "is in charge that shift.", PST),
            ],
        },
        "Qualification": {
            "overall_experience": [
                q("It's opened the door to nursing for me: I start the shortened nursing degree in "
                  "September.", CP),
                c("I've loved it, and I'm a much better practitioner for it.", JS),
            ],
            "confidence_end": 5, "job_satisfaction": 5, "next_step": "Starting nurse training",
            "pay_and_conditions": [
                q("I took a pay cut to do this and it hasn't come back yet, but I see it as an "
                  "investment.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": [
                c("Look after your study time: nobody else will, however well meaning they "
                  "are.", PST),
            ],
        },
    }),
    "WM1003": (True, {  # Megan Price, Rowan Ward: band 2 to band 4
        "Start": {
            "background": "Band 2 support worker on Rowan Ward for three years, my first job in "
                          "the NHS. I did a level 2 diploma in care at college.",
            "years_in_care": 3,
            "why_applied": [
                q("My manager encouraged me; I never thought someone like me would get onto a "
                  "degree.", CP),
                c("I want a job where I'm trusted to do more than observations and escorts.", JS),
            ],
            "hoped_next_step": "Not sure yet",
            "pay_effect": "I will earn more",
            "feels_so_far": [
                "Terrified of the university part, but everyone has been kind.",
                q("Going up from band 2 makes a real difference to me, so that's one less "
                  "worry.", REM),
            ],
            "confidence_start": 2, "support_start": 4, "study_time_agreed": "no",
        },
        "Mid-way": {
            "going_well": [
                "I've passed every module so far, which I honestly didn't expect.",
                c("I'm getting more confident doing the physical health checks and explaining the "
                  "results to patients.", JS),
            ],
            "difficulties": [
                q("Some of the nurses ask me to do things I'm not signed off for yet, and I don't "
                  "always know how to say no.", CR),
                q("My study time still isn't fixed on the rota, so it depends who's doing the rota "
                  "that week.", PST),
            ],
            "study_time_received": "no", "study_hours_lost": 8, "role_clarity": 2,
            "confidence_mid": 3, "mentor_support": 3,
            "change_one_thing": [
                c("Clearer guidance for the qualified staff about what we can and can't do as "
                  "trainees.", CR),
            ],
        },
        "Qualification": {
            "overall_experience": [
                q("I came in not believing I could do it and I'm leaving as an assistant "
                  "practitioner.", JS),
                c("I've gone from band 2 to band 4 in two years, which I couldn't have "
                  "imagined.", CP),
                c("The ward team treat me differently now: they come to me for the physical health "
                  "side.", SRS),
            ],
            "confidence_end": 4, "job_satisfaction": 5, "next_step": "Working in the new role",
            "pay_and_conditions": [
                c("I'm better off: going from band 2 to band 4 has made a big difference at "
                  "home.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": [
                q("Ask for your scope of practice in writing, so everyone on the ward knows what "
                  "you can do.", CR),
            ],
        },
    }),
    "WM1004": (False, {  # Kwame Mensah, Rowan Ward: came off nights, a pay cut; no consent to quote
        "Start": {
            "background": "Twelve years in mental health, mostly nights on Rowan Ward. I'm a "
                          "band 3 and I've done the trust's physical health and ECG training.",
            "years_in_care": 12,
            "why_applied": [
                c("After twelve years I wanted a new challenge and some recognition for what I "
                  "already do.", JS),
                c("It's a proper career step for support workers, which we have never had "
                  "here.", CP),
            ],
            "hoped_next_step": "Staying in the new role",
            "pay_effect": "I will earn less",
            "feels_so_far": [
                q("Coming off nights means a pay cut of about four thousand a year, and my family "
                  "has had to plan around that.", REM),
                c("Nobody has really explained yet what I will be responsible for once I'm "
                  "qualified, compared with the nurses.", CR),
            ],
            "confidence_start": 4, "support_start": 3, "study_time_agreed": "yes",
        },
        "Mid-way": {
            "going_well": [
                c("The nurses on Rowan rely on me for the physical health side and I like "
                  "that.", SRS),
            ],
            "difficulties": [
                q("When something goes wrong, it's not clear whether it's on me or on the nurse "
                  "who delegated it.", CR),
                c("I've lost more study days than I've had this term because of staffing.", PST),
            ],
            "study_time_received": "no", "study_hours_lost": 20, "role_clarity": 2,
            "confidence_mid": 4, "mentor_support": 3,
            "change_one_thing": [
                c("Put the pay question to the staff side properly: people are put off by the pay "
                  "cut.", REM),
            ],
        },
        "Qualification": {
            "overall_experience": [
                c("Worth it for the job, less so for the money.", JS),
                c("Support workers on Rowan can see there's somewhere to go now.", CP),
            ],
            "confidence_end": 5, "job_satisfaction": 4, "next_step": "Working in the new role",
            "pay_and_conditions": [
                q("I'm still worse off than I was on nights; band 4 on days doesn't make up for "
                  "the enhancements.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": [
                c("Do it for the work, not the money, and get clear from day one who's accountable "
                  "for what.", CR),
            ],
        },
    }),
    "WM1005": (True, {  # Sophie Turner, Willow Ward (PICU): on to an abbreviated nursing degree
        "Start": {
            "background": "Five years as a healthcare assistant, the last two on Willow, the "
                          "PICU. I have a level 3 diploma and I'm a trainer in the prevention "
                          "and management of violence and aggression.",
            "years_in_care": 5,
            "why_applied": [
                q("It's a stepping stone: I want to go on to nurse training, and this gets me "
                  "there with a foundation degree behind me.", CP),
                q("I want to be more than an extra pair of hands on the ward.", JS),
            ],
            "hoped_next_step": "Nurse training",
            "pay_effect": "About the same",
            "feels_so_far": [
                "Really positive; the course is hard but I like being stretched.",
                q("On a PICU it's hard to see how they'll let me go for a whole study day when "
                  "we're on enhanced observations.", PST),
            ],
            "confidence_start": 4, "support_start": 3, "study_time_agreed": "no",
        },
        "Mid-way": {
            "going_well": [
                c("Loving the course, and I've started doing the physical health reviews for our "
                  "patients on clozapine.", JS, SRS),
            ],
            "difficulties": [
                q("Study days on a PICU just get eaten up: if someone needs two-to-one, I'm the "
                  "one that stays.", PST),
                q("There's no clear line yet between what an assistant practitioner does and what "
                  "a nurse does on Willow.", CR),
            ],
            "study_time_received": "no", "study_hours_lost": 18, "role_clarity": 2,
            "confidence_mid": 4, "mentor_support": 4,
            "change_one_thing": [
                q("Make protected time the same across all the wards; at the moment it depends on "
                  "your manager.", PST),
            ],
        },
        "Qualification": {
            "overall_experience": [
                q("It's been the stepping stone I wanted: I've got a place on the abbreviated "
                  "nursing degree.", CP),
                c("I'm more confident, and I think I've made a difference to how we look after "
                  "physical health on Willow.", JS, SRS),
            ],
            "confidence_end": 5, "job_satisfaction": 5, "next_step": "Starting nurse training",
            "pay_and_conditions": [
                c("About the same money, but the qualification is worth more to me than the "
                  "pay.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": "Keep going through the second year; that's when it all comes "
                                  "together.",
        },
    }),
    "WM1006": (True, {  # Liam Walsh, Willow Ward (PICU): band 2 to band 4
        "Start": {
            "background": "I've been a band 2 on Willow for two years, after working as a bank "
                          "support worker while I was at college. I've got the Care Certificate "
                          "and A levels in biology and psychology.",
            "years_in_care": 2,
            "why_applied": [
                c("I like the physical health side and I want to specialise in it.", JS),
                q("It's a way up for people like me who didn't go to university straight from "
                  "school.", CP),
            ],
            "hoped_next_step": "Not sure yet",
            "pay_effect": "I will earn more",
            "feels_so_far": [
                "Good so far; the lecturers make it easy to ask questions.",
                c("The pay rise from band 2 is a bonus, to be honest.", REM),
            ],
            "confidence_start": 3, "support_start": 4, "study_time_agreed": "yes",
        },
        "Mid-way": {
            "going_well": "I'm getting the hang of the academic writing, and my mentor has been "
                          "brilliant.",
            "difficulties": [
                q("I've been asked to do medicines-related tasks and I wasn't sure whose "
                  "registration it would be on.", CR),
                c("A couple of study days were cancelled at short notice.", PST),
            ],
            "study_time_received": "yes", "study_hours_lost": 4, "role_clarity": 3,
            "confidence_mid": 3, "mentor_support": 5,
            "change_one_thing": [
                q("A one-page list of what trainees can and can't do, for the bank and agency "
                  "staff as well.", CR),
            ],
        },
        "Qualification": {
            "overall_experience": [
                q("I've grown up a lot on this course; I lead on the physical health checks on "
                  "Willow now.", JS, SRS),
                c("I might go on to nursing in a few years; the door's open now.", CP),
            ],
            "confidence_end": 4, "job_satisfaction": 5, "next_step": "Working in the new role",
            "pay_and_conditions": [
                c("I'm earning more than I was, and the hours are better too.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": [
                c("Use your mentor, and say early if your study time is slipping.", PST),
            ],
        },
    }),
    "WM1007": (False, {  # Hannah Lewis, Larch Ward: lost her weekend enhancements; no consent
        "Start": {
            "background": "Fifteen years as a support worker, in learning disability services "
                          "first and then on Larch Ward. I have an NVQ level 3 and I've "
                          "mentored new HCAs.",
            "years_in_care": 15,
            "why_applied": [
                c("I've been doing the same job for a long time and wanted to feel I was "
                  "progressing.", CP, JS),
            ],
            "hoped_next_step": "Staying in the new role",
            "pay_effect": "I will earn less",
            "feels_so_far": [
                q("I'm anxious about going back to study after so long, and about losing my "
                  "weekend enhancements.", REM),
                c("I'm not clear how the role will fit with the nurses on Larch.", CR),
            ],
            "confidence_start": 2, "support_start": 3, "study_time_agreed": "no",
        },
        "Mid-way": {
            "going_well": "The ward has been supportive and the course is better than I feared.",
            "difficulties": [
                q("My study time has been moved so many times I've stopped asking.", PST),
                c("It isn't clear who is responsible when I do a task the nurse has handed over to "
                  "me.", CR),
            ],
            "study_time_received": "no", "study_hours_lost": 10, "role_clarity": 2,
            "confidence_mid": 3, "mentor_support": 4,
            "change_one_thing": [
                c("Cover for our study days arranged in advance, not on the day.", PST),
            ],
        },
        "Qualification": {
            "overall_experience": [
                c("I've proved to myself I could do it, and I enjoy my job more than I have in "
                  "years.", JS),
                c("It's a proper career now, not just a job.", CP),
            ],
            "confidence_end": 4, "job_satisfaction": 4, "next_step": "Working in the new role",
            "pay_and_conditions": [
                c("I'm slightly down on what I earned with weekends, but I'm happier in the "
                  "work.", REM),
            ],
            "recommend": "yes",
            "advice_next_cohort": [
                c("Don't let the study time slide in the first year; it's much harder to catch up "
                  "later.", PST),
            ],
        },
    }),
}

# The line manager of all seven (manager.westmoor): consents to being quoted.
WESTMOOR_MANAGER: dict[str, dict] = {
    "Start": {
        "expectations": [
            q("I expect the assistant practitioners to support the registered nurses, particularly "
              "with physical health monitoring, so the nurses can focus on care planning and "
              "risk.", SRS),
        ],
        "experience": [
            "Early days. The trainees are keen and the rest of the team are curious about the "
            "role.",
            q("It's already an incentive for other support workers: I've had three ask about the "
              "next cohort.", CP),
        ],
        "impact_on_service": "Too early to say; we are auditing physical health assessments on "
                             "each ward so that we can see any change.",
        "impact_rating": 3, "supports_registered_staff": "no", "cover_difficulty": 3,
        "cover_how": [
            q("We've built study days into the rota, but on a short-staffed day I'll have to "
              "choose between the ward and the trainee.", PST),
        ],
        "staffing_balance": [
            q("We're taking this carefully: the trainee posts are on top of our establishment, not "
              "instead of registered nurses.", SB),
        ],
        "career_incentive": "yes",
    },
    "Mid-way": {
        "expectations": [
            c("The same as before: more support for the nurses, and better physical healthcare for "
              "our patients.", SRS),
        ],
        "experience": "Harder than I thought on the staffing side, but the trainees are growing "
                      "fast.",
        "impact_on_service": [
            q("We're starting to see physical health checks done on time, and the trainees are "
              "running some of the activity groups.", SRS),
        ],
        "impact_rating": 4, "supports_registered_staff": "yes", "cover_difficulty": 5,
        "cover_how": [
            q("Honestly, we haven't always managed it: when we're short, the trainees' protected "
              "learning time is the first thing to go, and bank staff can't always be found.", PST),
        ],
        "staffing_balance": [
            c("We have to keep enough registered nurses on each shift, so we can't count the "
              "trainees in the numbers on their study days.", SB),
        ],
        "career_incentive": "yes",
    },
    "Qualification": {
        "expectations": [
            q("The role has done what we hoped: it supports the registered nurses rather than "
              "replacing them.", SRS),
        ],
        "experience": [
            c("All seven have completed, and they've shown significant signs of development over "
              "the two years.", JS),
            q("Two are going on to the shortened nursing degree, which shows there is now a clear "
              "career progression for our support staff.", CP),
        ],
        "impact_on_service": [
            q("There's been a positive impact on the wards as the trainees gained confidence and "
              "took on more responsibility, especially physical health monitoring.", SRS),
            "Our physical health audit results have improved on all three wards.",
        ],
        "impact_rating": 5, "supports_registered_staff": "yes", "cover_difficulty": 4,
        "cover_how": [
            c("We now put study days on the rota six weeks ahead and book bank cover, which has "
              "helped, though it still slips on the PICU.", PST),
        ],
        "staffing_balance": [
            q("We've kept the registered nurse numbers the same and added the assistant "
              "practitioners alongside, which feels like the right balance.", SB),
        ],
        "career_incentive": "yes",
    },
}

# Physical healthcare assessment audit: compliance aimed at, per ward, at each stage (the
# result varies a little by criterion and record). Criteria in the tool's order: observations
# recorded, early warning score calculated, escalation documented, physical health care plan.
AUDIT_TARGETS = {
    "Larch Ward": (56, 76, 91),
    "Rowan Ward": (51, 73, 88),
    "Willow Ward (PICU)": (58, 70, 86),
}
CRITERION_OFFSETS = (14, 2, -12, -4)

SATISFACTION_SOURCE = "Productive Ward local survey"
SATISFACTION_QUESTIONS = (
    "Did staff help you look after your physical health, for example checking your weight, "
    "blood pressure and blood tests?",
    "Were you able to take part in activities on the ward that you found helpful?",
    "Did staff explain your care and treatment in a way you could understand?",
    "Were you treated with dignity and respect?",
    "Overall, were you satisfied with the care you received on the ward?",
)
# Percentage satisfied per quarter, oldest first: a modest rise.
SATISFACTION_SCORES = {
    "Larch Ward": (74.0, 76.5, 79.0, 82.5, 85.0),
    "Rowan Ward": (70.5, 72.0, 75.5, 77.0, 80.5),
    "Willow Ward (PICU)": (63.0, 64.5, 68.0, 70.5, 72.5),
}


# --- Highmoor: the generic clinical HCSW pilot ---------------------------------------------------

HIGHMOOR_START: dict[str, tuple[bool, dict]] = {
    "HM3001": (True, {  # Kirsty Douglas, stroke rehabilitation
        "background": "Band 3 healthcare support worker on the stroke rehabilitation unit for five "
                      "years, and three years in home care before that. SVQ level 3 in social "
                      "services and healthcare.",
        "years_in_care": 8,
        "why_applied": [
            q("I want to help people get back to doing things for themselves, not just do things "
              "for them.", JS),
            q("It's the first time there's been a way for HCSWs here to develop without leaving "
              "the ward.", CP),
        ],
        "hoped_next_step": "Staying in the new role", "pay_effect": "About the same",
        "feels_so_far": [
            "Good. The study skills sessions before we started took a lot of the fear away.",
            q("I'm not sure yet where my job ends and the physio's begins when I'm doing someone's "
              "exercises with them.", CR),
        ],
        "confidence_start": 3, "support_start": 4, "study_time_agreed": "yes",
    }),
    "HM3002": (True, {  # Euan Murray, stroke rehabilitation
        "background": "Six years as a healthcare support worker, all of it on the stroke unit. I "
                      "have an SVQ level 2 and I'm a moving and handling key worker.",
        "years_in_care": 6,
        "why_applied": [
            "My charge nurse put me forward and I fancied the challenge.",
            q("I'd like to go into nursing or physiotherapy eventually, and this is a start.", CP),
        ],
        "hoped_next_step": "Training for another registered profession",
        "pay_effect": "About the same",
        "feels_so_far": [
            c("Busy. Fitting the reading in around shifts and the kids is hard.", PST),
        ],
        "confidence_start": 3, "support_start": 4, "study_time_agreed": "yes",
    }),
    "HM3003": (True, {  # Shona Campbell, stroke rehabilitation
        "background": "I've been a band 2 on the stroke unit for two years. It's my first job in "
                      "healthcare after working in a nursery.",
        "years_in_care": 2,
        "why_applied": [
            q("I love seeing patients get their independence back and I want to be part of that "
              "properly.", JS),
        ],
        "hoped_next_step": "Not sure yet", "pay_effect": "I will earn more",
        "feels_so_far": [
            "Nervous about the assessments, but the team have been really encouraging.",
            c("Moving up to band 3 at the end would make a real difference.", REM),
        ],
        "confidence_start": 2, "support_start": 5, "study_time_agreed": "yes",
    }),
    "HM3004": (True, {  # Ross Robertson, orthopaedic rehabilitation
        "background": "Ten years as an HCSW, the last four on the orthopaedic rehabilitation "
                      "ward. SVQ level 3.",
        "years_in_care": 10,
        "why_applied": [
            c("Doing the same tasks every shift, I wanted to use more of what I know.", JS),
        ],
        "hoped_next_step": "Staying in the new role", "pay_effect": "About the same",
        "feels_so_far": [
            q("Keen, but the ward is very short just now and I can see study time being a "
              "problem.", PST),
        ],
        "confidence_start": 4, "support_start": 3, "study_time_agreed": "no",
    }),
    "HM3005": (False, {  # Ailsa Thomson, orthopaedic rehabilitation: no consent to quote
        "background": "Seven years in the NHS, on orthopaedics and before that in theatres as a "
                      "support worker.",
        "years_in_care": 7,
        "why_applied": [
            c("I want to get better at rehab so patients go home sooner and safer.", JS),
            c("It could lead to a band 4 role if the pilot works.", CP, REM),
        ],
        "hoped_next_step": "Staying in the new role", "pay_effect": "Prefer not to say",
        "feels_so_far": [
            q("My study afternoons have already been moved twice because of staffing.", PST),
        ],
        "confidence_start": 3, "support_start": 2, "study_time_agreed": "yes",
    }),
    "HM3006": (True, {  # Jamie Scott, orthopaedic rehabilitation
        "background": "Band 2 on the orthopaedic rehab ward for three years. I did an HNC in "
                      "sports science before coming into the NHS.",
        "years_in_care": 3,
        "why_applied": [
            c("With my sports background, the rehab side is what I enjoy most.", JS),
            q("I'd like to train as a physiotherapist one day and this is a step towards it.", CP),
        ],
        "hoped_next_step": "Training for another registered profession",
        "pay_effect": "I will earn more",
        "feels_so_far": "Enjoying it; it's good to understand the why behind the exercises.",
        "confidence_start": 3, "support_start": 3, "study_time_agreed": "no",
    }),
    "HM3007": (True, {  # Lorna McDonald, medicine of the elderly
        "background": "Eighteen years in care, mostly with older people, and the last nine in "
                      "medicine of the elderly. SVQ level 3, and the ward's dementia champion.",
        "years_in_care": 18,
        "why_applied": [
            q("After eighteen years I'd like some recognition for the rehabilitation work we "
              "already do without the title.", JS),
        ],
        "hoped_next_step": "Staying in the new role", "pay_effect": "About the same",
        "feels_so_far": [
            "Going back to studying at my age was daunting, but I'm enjoying it.",
            c("Some of the nurses aren't sure what we'll be able to do once we're through it.", CR),
        ],
        "confidence_start": 3, "support_start": 4, "study_time_agreed": "yes",
    }),
    "HM3008": (True, {  # Craig Paterson, medicine of the elderly
        "background": "Five years as an HCSW on medicine of the elderly after leaving the army, "
                      "where I was a combat medical technician.",
        "years_in_care": 5,
        "why_applied": [
            c("I'm used to working with more responsibility than I have now, and this role uses "
              "my skills.", JS),
            q("A clear route to progress was what I was missing.", CP),
        ],
        "hoped_next_step": "Nurse training", "pay_effect": "About the same",
        "feels_so_far": [
            q("I'd like to know more about who signs off our work when we're doing delegated "
              "tasks.", CR),
        ],
        "confidence_start": 4, "support_start": 3, "study_time_agreed": "yes",
    }),
    "HM3009": (True, {  # Iona Wilson, medicine of the elderly
        "background": "I've been a band 2 HCSW for a year, on medicine of the elderly. Before that "
                      "I looked after my gran at home.",
        "years_in_care": 1,
        "why_applied": [c("I want to build a career in the NHS, and this is a start.", CP)],
        "hoped_next_step": "Nurse training", "pay_effect": "I will earn more",
        "feels_so_far": "Everyone has been welcoming, and my mentor is great.",
        "confidence_start": 2, "support_start": 4, "study_time_agreed": "no",
    }),
}

HIGHMOOR_MANAGER_START = {
    "expectations": [
        q("I expect the role to free up our physios and nurses by building rehabilitation into "
          "everyday care: washing, dressing, walking to the dining room.", SRS),
    ],
    "experience": "A good start. The study skills sessions beforehand were worth it.",
    "impact_on_service": "Too soon to tell, but the trainees are already asking better questions "
                         "at handovers.",
    "impact_rating": 3, "supports_registered_staff": "no", "cover_difficulty": 4,
    "cover_how": [
        q("The orthopaedic ward is very tight on staff and I can already see protected learning "
          "time getting squeezed there.", PST),
    ],
    "staffing_balance": [
        c("We are not using the trainees to fill gaps; they are supernumerary on learning "
          "days.", SB),
    ],
    "career_incentive": "yes",
}

# Mid-way: two trainees interviewed so far, one interview half recorded; the rest still due.
HIGHMOOR_MIDWAY_DONE: dict[str, tuple[bool, dict]] = {
    "HM3001": (True, {
        "going_well": [
            q("I'm doing sit-to-stand practice and walking programmes with patients as part of "
              "their day, and the physios trust me with it.", JS, SRS),
        ],
        "difficulties": [
            c("Sometimes I'm pulled from rehab to do washes when we're short, and the rehab "
              "doesn't happen.", SB),
        ],
        "study_time_received": "yes", "study_hours_lost": 2, "role_clarity": 3,
        "confidence_mid": 4, "mentor_support": 5,
        "change_one_thing": [
            q("Clearer written guidance on what we can do without a physio present.", CR),
        ],
    }),
    "HM3004": (True, {
        "going_well": [c("The learning itself is good and I'm using it every shift.", JS)],
        "difficulties": [
            q("I've lost most of my study afternoons since the summer because the ward has been so "
              "short.", PST),
            c("When I'm counted in the numbers I can't do the rehab work either.", SB),
        ],
        "study_time_received": "no", "study_hours_lost": 16, "role_clarity": 3,
        "confidence_mid": 3, "mentor_support": 3,
        "change_one_thing": [
            q("Study time that actually happens, with someone booked to cover it.", PST),
        ],
    }),
}
HIGHMOOR_MIDWAY_DRAFT = {
    "HM3007": {"going_well": "The ward team are starting to ask me to lead on mobility plans."},
}


# --- Seeding -----------------------------------------------------------------------------------


def _rng(seed: str) -> random.Random:
    return random.Random(seed)  # noqa: S311 (demo data: deterministic on purpose) # nosec B311


def _held_on(stage: Stage, rng: random.Random, today: date) -> date:
    """A day inside the stage's window, and not in the future."""
    window = max((stage.due_on - stage.opens_on).days - 2, 1)
    return min(stage.opens_on + timedelta(days=rng.randint(1, window)), stage.due_on, today)


def _themes(programme: Programme, actor) -> dict[str, Theme]:
    with set_actor(actor):
        themes_add_defaults(programme=programme, actor=actor)
    return {t.name.lower(): t for t in Theme.objects.filter(programme=programme)}


def _code(interview: Interview, script: dict, themes: dict[str, Theme], actor) -> None:
    """Code the interview's free-text answers with the themes their sentences carry; quotable
    sentences become quotes when the person consented."""
    answers = {
        a.question.key: a
        for a in Answer.objects.filter(interview=interview).select_related("question")
    }
    for key, value in script.items():
        answer = answers.get(key)
        if answer is None:
            continue
        coded = set()
        for sentence in _sentences(value):
            for name in sentence.themes:
                theme = themes.get(name.lower())
                if theme is None or theme.pk in coded:
                    continue
                coded.add(theme.pk)
                with set_actor(actor):
                    coding_add(answer=answer, theme=theme, excerpt=sentence.text,
                               is_quote=sentence.quote and interview.consent_to_quote, actor=actor)


def _hold(interview: Interview, script: dict, *, actor, consent: bool, held_on: date | None,
          themes: dict[str, Theme], complete: bool = True) -> None:
    """Record an interview still due from its script (and code it, when completed)."""
    interview = interview_save(
        interview=interview, actor=actor, interviewer=actor,
        answers={key: _text(value) for key, value in script.items()},
        held_on=held_on, consent_to_quote=consent, complete=complete,
    )
    if complete:
        _code(interview, script, themes, actor)


def _due(stage: Stage):
    return (
        Interview.objects.filter(stage=stage, status=Interview.Status.DUE)
        .select_related("enrolment__trainee", "manager").order_by("pk")
    )


def _run_stage(
    stage: Stage, *, lead, trainees: dict[str, tuple[bool, dict]], manager_script: dict | None,
    themes: dict[str, Theme], today: date, drafts: dict[str, dict] | None = None,
) -> None:
    """Hold the stage's interviews that are still due and have a script."""
    for interview in _due(stage):
        if interview.subject == Subject.TRAINEE:
            number = interview.enrolment.trainee.employee_number
            rng = _rng(f"{number}:{stage.name}")
            if number in trainees:
                consent, script = trainees[number]
                _hold(interview, script, actor=lead, consent=consent,
                      held_on=_held_on(stage, rng, today), themes=themes)
            elif drafts and number in drafts:
                _hold(interview, drafts[number], actor=lead, consent=False, held_on=None,
                      themes=themes, complete=False)
        elif manager_script is not None:
            rng = _rng(f"{interview.manager.get_username()}:{stage.name}")
            _hold(interview, manager_script, actor=lead, consent=True,
                  held_on=_held_on(stage, rng, today), themes=themes)


def _close_if_done(stage: Stage, actor) -> None:
    pending = stage.interviews.filter(status__in=(Interview.Status.DUE, Interview.Status.DRAFT))
    if stage.status == Stage.Status.OPEN and not pending.exists():
        stage_close(stage=stage, actor=actor)


def _westmoor(today: date) -> None:
    lead = User.objects.get(username="lead.westmoor")
    cohort = Cohort.objects.select_related("programme__organisation").get(
        programme__organisation__slug="westmoor",
        programme__title="Inpatient assistant practitioner", intake_number=1,
    )
    programme = cohort.programme
    themes = _themes(programme, lead)
    stages = stages_create_defaults(cohort=cohort, actor=lead)
    for stage in stages:
        if stage.status == Stage.Status.PLANNED:
            stage_open(stage=stage, actor=lead)
        scripts = {
            number: (consent, by_stage[stage.name])
            for number, (consent, by_stage) in WESTMOOR_TRAINEES.items()
            if stage.name in by_stage
        }
        _run_stage(stage, lead=lead, trainees=scripts,
                   manager_script=WESTMOOR_MANAGER.get(stage.name), themes=themes, today=today)
        _close_if_done(stage, lead)
    _audits(programme, stages, lead, today)
    _satisfaction(programme, lead, today)


def _audits(programme: Programme, stages: list[Stage], lead, today: date) -> None:
    if AuditRound.objects.filter(programme=programme).exists():
        return
    tool = audit_tools_ensure_defaults(organisation=programme.organisation)
    criteria = list(tool.criteria.order_by("order", "pk"))
    wards = {w.name: w for w in programme.clinical_areas.all()}
    for position, stage in enumerate(stages[:3]):
        for ward_name, targets in AUDIT_TARGETS.items():
            ward = wards.get(ward_name)
            if ward is None:
                continue
            rng = _rng(f"audit:{ward_name}:{stage.name}")
            sampled = rng.randint(10, 20)
            results = {}
            for n, criterion in enumerate(criteria):
                offset = CRITERION_OFFSETS[n] if n < len(CRITERION_OFFSETS) else 0
                rate = min(max(targets[position] + offset + rng.uniform(-3, 3), 0), 100)
                results[criterion.pk] = round(sampled * rate / 100)
            held_on = min(stage.opens_on + timedelta(days=rng.randint(5, 20)), today)
            with set_actor(lead):
                audit_round_record(
                    programme=programme, tool=tool, clinical_area=ward, stage_name=stage.name,
                    held_on=held_on, records_sampled=sampled, results=results, actor=lead,
                )


def _quarters(today: date, count: int) -> list[tuple[date, date]]:
    """The last ``count`` complete calendar quarters, oldest first."""
    year, first_month = today.year, 3 * ((today.month - 1) // 3) + 1
    quarters = []
    for _ in range(count):
        end = date(year, first_month, 1) - timedelta(days=1)
        year, first_month = end.year, end.month - 2
        quarters.append((date(year, first_month, 1), end))
    return quarters[::-1]


def _satisfaction(programme: Programme, lead, today: date) -> None:
    if SatisfactionResult.objects.filter(programme=programme).exists():
        return
    wards = {w.name: w for w in programme.clinical_areas.all()}
    quarters = _quarters(today, len(next(iter(SATISFACTION_SCORES.values()))))
    for ward_name, scores in SATISFACTION_SCORES.items():
        ward = wards.get(ward_name)
        if ward is None:
            continue
        rng = _rng(f"satisfaction:{ward_name}")
        for (start, end), score in zip(quarters, scores, strict=True):
            with set_actor(lead):
                satisfaction_record(programme=programme, actor=lead, item=SatisfactionInput(
                    clinical_area=ward, period_start=start, period_end=end,
                    responses=rng.randint(12, 28), score=Decimal(str(score)),
                    questions=SATISFACTION_QUESTIONS, source=SATISFACTION_SOURCE,
                ))


def _highmoor(today: date) -> None:
    lead = User.objects.get(username="lead.highmoor")
    cohort = Cohort.objects.select_related("programme__organisation").get(
        programme__organisation__slug="highmoor",
        programme__title="Generic clinical HCSW pilot", intake_number=1,
    )
    themes = _themes(cohort.programme, lead)
    stages = {s.name: s for s in stages_create_defaults(cohort=cohort, actor=lead)}
    start, midway = stages.get("Start"), stages.get("Mid-way")
    if start is not None and start.status == Stage.Status.PLANNED:
        stage_open(stage=start, actor=lead)
        _run_stage(start, lead=lead, trainees=HIGHMOOR_START, manager_script=HIGHMOOR_MANAGER_START,
                   themes=themes, today=today)
        _close_if_done(start, lead)
    if midway is not None and midway.status == Stage.Status.PLANNED and midway.opens_on <= today:
        stage_open(stage=midway, actor=lead)
        _run_stage(midway, lead=lead, trainees=HIGHMOOR_MIDWAY_DONE, manager_script=None,
                   themes=themes, today=today, drafts=HIGHMOOR_MIDWAY_DRAFT)


def seed_evaluations() -> None:
    """Westmoor's first cohort evaluated from start to qualification (interviews, coded themes,
    audits, satisfaction) and Highmoor's pilot part-way through. Run while Westmoor's first
    cohort is still active (only active enrolments get interviews). Idempotent."""
    today = timezone.localdate()
    _westmoor(today)
    _highmoor(today)
