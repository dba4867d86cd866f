//! A credential input as `brevet run` would make it, for tests and benches.

use brevet::credential::did::DidKey;
use brevet::credential::ob::{
    Achievement, AttemptEvidence, CredentialInput, Issuer, Learner, ProctoringCounts, Score,
    Supervision, credential_id,
};
use brevet::credential::parse_datetime;

/// The issuer key of the samples.
pub fn key() -> brevet::credential::key::IssuerKey {
    brevet::credential::key::IssuerKey::from_seed(&[0x5a; 32])
}

/// A complete input: every optional element present.
pub fn input(did: &DidKey) -> CredentialInput {
    CredentialInput {
        id: credential_id([0x3f; 16]),
        issuer: Issuer {
            name: "Centre de formation Exemple".into(),
            url: "https://formation.example".into(),
            country: Some("FR".into()),
            region: Some("Occitanie".into()),
            quality_assurance: Some("Qualiopi certified training provider".into()),
            include_accommodations: true,
            did: did.clone().into(),
        },
        achievement: Achievement {
            exam_id: "netsec-2".into(),
            version: "1.4.0".into(),
            title: "Sécurité des réseaux — bloc 2".into(),
            skill_block: Some("Bloc 2 : sécuriser un réseau d’entreprise".into()),
            description: "Firewalls, VPNs and intrusion detection on small networks.".into(),
            criteria: "Score at least 70% on a 40-question timed exam drawn from the bank.".into(),
            language: "fr".into(),
            learning_outcomes: vec![
                "Configure a stateful firewall".into(),
                "Set up a site-to-site VPN".into(),
                "Read IDS alerts and triage them".into(),
            ],
            workload_hours: 50.0,
            ects: Some(2.0),
            eqf_level: Some(5),
            prerequisites: vec!["Bloc 1: TCP/IP fundamentals".into()],
            stackability: Some(
                "Stacks into the Administrateur systèmes et réseaux certificate (4 blocks).".into(),
            ),
            image: None,
        },
        learner: Learner {
            email: None,
            name: "Camille Dupré".into(),
            id: Some("A-2025-0042".into()),
        },
        score: Score {
            percent: 82.5,
            threshold_percent: 70.0,
            passed: true,
        },
        issued_at: parse_datetime("2025-03-14T09:26:53Z").expect("a date"),
        evidence: AttemptEvidence {
            bank_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            seed: 18_446_744_073_709_551_557,
            journal_head_sha256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
                .into(),
            proctoring: ProctoringCounts {
                focus_lost: 1,
                paste: 0,
                resize: 2,
                resume: 1,
                extra_time: 0,
                ended_by_proctor: 0,
            },
            extra_time_percent: 33,
        },
        supervision: Supervision::SupervisedOnsite {
            identity_verified: true,
        },
        demo_issuer: false,
        status: Vec::new(),
    }
}
