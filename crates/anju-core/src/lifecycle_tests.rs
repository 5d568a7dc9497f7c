#![expect(
    clippy::unwrap_used,
    reason = "a test that fails should panic with the error"
)]

use super::*;
use crate::ManagementMode as M;
use jiff::civil::date;

fn day() -> Date {
    date(2022, 9, 1)
}

/// A consistent state at each stage of the professional path, with an owners' committee.
fn at(stage: Stage) -> LifecycleState {
    let mut s = LifecycleState::initial(M::None, OwnersBody::OwnersCommittee);
    let steps: Vec<Event> = vec![
        Event::Consult,
        Event::DecideMode {
            mode: M::Professional,
        },
        Event::SettleOwners {
            body: OwnersBody::OwnersCommittee,
        },
        Event::SelectCompany { company_id: 7 },
        Event::SignContract {
            contract_id: 3,
            company_id: 7,
            signer: Signer::OwnersBody,
        },
        Event::File,
        Event::StartTrial,
        Event::Enter,
        Event::StartService,
    ];
    for e in steps {
        if s.stage == stage {
            return s;
        }
        s = transition(&s, &e, day()).expect("the canonical path is legal");
    }
    assert_eq!(s.stage, stage);
    s
}

fn all_events() -> Vec<Event> {
    vec![
        Event::Consult,
        Event::DecideMode {
            mode: M::Professional,
        },
        Event::SettleOwners {
            body: OwnersBody::OwnersCommittee,
        },
        Event::SelectCompany { company_id: 7 },
        Event::SignContract {
            contract_id: 3,
            company_id: 7,
            signer: Signer::OwnersBody,
        },
        Event::File,
        Event::StartTrial,
        Event::Enter,
        Event::StartService,
        Event::End {
            kind: ExitKind::Dismissal,
        },
        Event::End {
            kind: ExitKind::Expiry,
        },
        Event::End {
            kind: ExitKind::Exit,
        },
    ]
}

/// Every (stage, event) pair on the professional path: the legal ones and where they lead;
/// everything not listed is refused.
#[test]
fn transition_table() {
    use Stage as S;
    let legal: &[(Stage, &str, Stage)] = &[
        (S::Census, "consult", S::Consulted),
        (S::Consulted, "decide_mode", S::ModeDecided),
        (S::ModeDecided, "decide_mode", S::ModeDecided),
        (S::OwnersSettled, "decide_mode", S::OwnersSettled),
        (S::ModeDecided, "settle_owners", S::OwnersSettled),
        (S::OwnersSettled, "settle_owners", S::OwnersSettled),
        (S::OwnersSettled, "select_company", S::CompanySelected),
        (S::CompanySelected, "sign_contract", S::ContractSigned),
        (S::ContractSigned, "file", S::Filed),
        (S::ContractSigned, "start_trial", S::TrialRun),
        (S::Filed, "start_trial", S::TrialRun),
        (S::ContractSigned, "enter", S::Entered),
        (S::Filed, "enter", S::Entered),
        (S::TrialRun, "enter", S::Entered),
        (S::Entered, "start_service", S::InService),
    ];
    let mut checked = 0;
    for stage in Stage::ALL {
        let s = at(stage);
        for e in all_events() {
            let got = transition(&s, &e, day());
            let is_exit = matches!(e, Event::End { .. });
            let can_exit = matches!(
                stage,
                S::ContractSigned | S::Filed | S::TrialRun | S::Entered | S::InService
            );
            let expected = legal
                .iter()
                .find(|(st, code, _)| *st == stage && *code == e.code())
                .map(|x| x.2)
                .or((is_exit && can_exit).then_some(S::OwnersSettled));
            match (expected, &got) {
                (Some(to), Ok(n)) => assert_eq!(n.stage, to, "{stage:?} + {e:?}"),
                (None, Err(err)) => {
                    assert!(!err.zh().is_empty() && !err.en().is_empty());
                }
                _ => panic!("{stage:?} + {e:?}: expected {expected:?}, got {got:?}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 10 * 12);
}

#[test]
fn specific_refusals_say_why() {
    let cases: Vec<(LifecycleState, Event, TransitionError)> = vec![
        // A contract before a company is selected.
        (
            at(Stage::OwnersSettled),
            Event::SignContract {
                contract_id: 1,
                company_id: 7,
                signer: Signer::OwnersBody,
            },
            TransitionError::ContractBeforeCompany,
        ),
        // A contract signed by the street where an owners' committee exists.
        (
            at(Stage::CompanySelected),
            Event::SignContract {
                contract_id: 1,
                company_id: 7,
                signer: Signer::Street,
            },
            TransitionError::WrongSigner {
                body: OwnersBody::OwnersCommittee,
                signer: Signer::Street,
            },
        ),
        (
            at(Stage::CompanySelected),
            Event::SignContract {
                contract_id: 1,
                company_id: 8,
                signer: Signer::OwnersBody,
            },
            TransitionError::CompanyMismatch {
                selected: 7,
                signed: 8,
            },
        ),
        (
            at(Stage::OwnersSettled),
            Event::File,
            TransitionError::FilingWithoutContract,
        ),
        (at(Stage::Filed), Event::File, TransitionError::AlreadyFiled),
        (
            at(Stage::Consulted),
            Event::DecideMode { mode: M::None },
            TransitionError::ModeIsNone,
        ),
        (
            at(Stage::ModeDecided),
            Event::SettleOwners {
                body: OwnersBody::None,
            },
            TransitionError::BodyExists {
                body: OwnersBody::OwnersCommittee,
            },
        ),
        (
            at(Stage::OwnersSettled),
            Event::StartService,
            TransitionError::ModeNeedsCompany {
                mode: M::Professional,
            },
        ),
        (
            at(Stage::ModeDecided),
            Event::End {
                kind: ExitKind::Exit,
            },
            TransitionError::NothingToEnd,
        ),
    ];
    for (s, e, want) in cases {
        assert_eq!(
            transition(&s, &e, day()),
            Err(want),
            "{:?} + {e:?}",
            s.stage
        );
    }
    let err = transition(
        &at(Stage::CompanySelected),
        &Event::SignContract {
            contract_id: 1,
            company_id: 7,
            signer: Signer::Community,
        },
        day(),
    )
    .unwrap_err();
    assert_eq!(
        err.zh(),
        "小区已成立业主委员会，物业服务合同须由业主委员会签订，不能由社区居委会代签"
    );
}

#[test]
fn without_an_owners_body_the_street_or_community_signs() {
    let mut s = LifecycleState::initial(M::None, OwnersBody::None);
    for e in [
        Event::Consult,
        Event::DecideMode {
            mode: M::StateTakeover,
        },
        Event::SettleOwners {
            body: OwnersBody::None,
        },
        Event::SelectCompany { company_id: 2 },
    ] {
        s = transition(&s, &e, day()).unwrap();
    }
    let sign = |signer| Event::SignContract {
        contract_id: 1,
        company_id: 2,
        signer,
    };
    assert_eq!(
        transition(&s, &sign(Signer::OwnersBody), day()),
        Err(TransitionError::NoBodyToSign)
    );
    for signer in [Signer::Street, Signer::Community] {
        assert_eq!(
            transition(&s, &sign(signer), day()).unwrap().stage,
            Stage::ContractSigned
        );
    }
}

/// No seed makes filing a condition of entry (Liaocheng wants the company in 尽快): a company
/// may enter and serve first and the contract be filed afterwards, the stage unchanged.
#[test]
fn entry_and_service_before_filing_then_file() {
    let s = at(Stage::ContractSigned);
    let s = transition(&s, &Event::Enter, day()).unwrap();
    assert_eq!((s.stage, s.filed), (Stage::Entered, false));
    let s = transition(&s, &Event::StartService, day()).unwrap();
    let s = transition(&s, &Event::File, day()).unwrap();
    assert_eq!((s.stage, s.filed), (Stage::InService, true));
    assert_eq!(
        transition(&s, &Event::File, day()),
        Err(TransitionError::AlreadyFiled)
    );
}

#[test]
fn trial_run_before_filing_then_file_then_enter() {
    let s = at(Stage::ContractSigned);
    let s = transition(&s, &Event::StartTrial, day()).unwrap();
    assert!(!s.filed);
    let s = transition(&s, &Event::File, day()).unwrap();
    assert_eq!(s.stage, Stage::TrialRun);
    assert!(s.filed);
    assert_eq!(
        transition(&s, &Event::File, day()),
        Err(TransitionError::AlreadyFiled)
    );
    assert_eq!(
        transition(&s, &Event::Enter, day()).unwrap().stage,
        Stage::Entered
    );
}

#[test]
fn non_company_modes_start_service_without_a_contract() {
    for (mode, body, ok) in [
        (M::StreetFallback, OwnersBody::None, true),
        (M::Employer, OwnersBody::None, true),
        (M::SelfManaged, OwnersBody::None, false),
        (M::SelfManaged, OwnersBody::OwnersCommittee, true),
    ] {
        let mut s = LifecycleState::initial(M::None, body);
        s = transition(&s, &Event::Consult, day()).unwrap();
        s = transition(&s, &Event::DecideMode { mode }, day()).unwrap();
        assert_eq!(
            transition(&s, &Event::SelectCompany { company_id: 1 }, day()),
            Err(TransitionError::NotFrom {
                stage: Stage::ModeDecided,
                event_zh: "选定物业企业",
                event_en: "select a company",
            })
        );
        let r = transition(&s, &Event::StartService, day());
        assert_eq!(r.is_ok(), ok, "{mode:?} {body:?}: {r:?}");
        if ok {
            let s = r.unwrap();
            assert_eq!(s.stage, Stage::InService);
            // Ending the service goes back to the mode decision (owners' side never settled).
            let back = transition(
                &s,
                &Event::End {
                    kind: ExitKind::Exit,
                },
                day(),
            )
            .unwrap();
            assert_eq!(back.stage, Stage::ModeDecided);
        } else {
            assert_eq!(r, Err(TransitionError::SelfManagedNeedsBody));
        }
    }
    let mut s = at(Stage::OwnersSettled);
    s.mode = Some(M::StreetFallback);
    assert_eq!(
        transition(&s, &Event::SelectCompany { company_id: 1 }, day()),
        Err(TransitionError::ModeNeedsNoCompany {
            mode: M::StreetFallback
        })
    );
}

#[test]
fn exits_return_to_the_settled_owners_side_and_clear_the_contract() {
    for kind in ExitKind::ALL {
        let s = transition(&at(Stage::InService), &Event::End { kind }, day()).unwrap();
        assert_eq!(s.stage, Stage::OwnersSettled);
        assert_eq!((s.company_id, s.contract_id, s.filed), (None, None, false));
        assert_eq!(s.owners_body, OwnersBody::OwnersCommittee);
        // A new company can be selected straight away.
        assert!(transition(&s, &Event::SelectCompany { company_id: 9 }, day()).is_ok());
    }
}

#[test]
fn steps_cannot_go_back_in_time() {
    let s = transition(&at(Stage::Census), &Event::Consult, date(2022, 9, 5)).unwrap();
    assert_eq!(
        transition(
            &s,
            &Event::DecideMode {
                mode: M::Professional
            },
            date(2022, 9, 4)
        ),
        Err(TransitionError::DateBeforeLast {
            date: date(2022, 9, 4),
            last: date(2022, 9, 5)
        }),
    );
}

#[test]
fn ledger_compounds_start_where_the_ledger_says() {
    assert_eq!(
        LifecycleState::initial(M::Professional, OwnersBody::None).stage,
        Stage::InService
    );
    assert_eq!(
        LifecycleState::initial(M::SelfManaged, OwnersBody::None).stage,
        Stage::Census
    );
    for st in Stage::ALL {
        assert_eq!(Stage::from_code(st.code()), Some(st));
    }
    assert_eq!(
        stages_from(&Event::Enter),
        vec![Stage::ContractSigned, Stage::Filed, Stage::TrialRun]
    );
}

#[test]
fn replay_gives_every_state_or_names_the_step_that_no_longer_stands() {
    let start = LifecycleState::initial(M::None, OwnersBody::None);
    let consult = Event::Consult;
    let decide = Event::DecideMode {
        mode: M::StreetFallback,
    };
    let serve = Event::StartService;
    let ok = replay(
        &start,
        [
            (&consult, date(2022, 9, 1)),
            (&decide, date(2022, 9, 3)),
            (&serve, date(2022, 9, 5)),
        ],
    )
    .unwrap();
    assert_eq!(
        ok.iter().map(|s| s.stage).collect::<Vec<_>>(),
        vec![Stage::Consulted, Stage::ModeDecided, Stage::InService]
    );
    assert_eq!(ok[2].last_date, Some(date(2022, 9, 5)));
    // Re-dating the decision after the start of service: the start is named.
    let late = replay(
        &start,
        [
            (&consult, date(2022, 9, 1)),
            (&decide, date(2022, 9, 9)),
            (&serve, date(2022, 9, 5)),
        ],
    )
    .unwrap_err();
    assert_eq!(late.index, 2);
    assert!(matches!(late.error, TransitionError::DateBeforeLast { .. }));
    // Voiding the decision: the start of service no longer stands.
    let void = replay(
        &start,
        [(&consult, date(2022, 9, 1)), (&serve, date(2022, 9, 5))],
    )
    .unwrap_err();
    assert_eq!(void.index, 1);
    assert!(replay(&start, []).unwrap().is_empty());
}
