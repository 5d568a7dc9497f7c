//! Accounts and sessions.

use crate::support::{TestDb, both, clerk, compound};
use anju_core::access::Role;
use anju_store::{Actor, AuditFilter, NewUser, StoreError};

/// What anju-web's argon2 hashing produces (the store only stores it).
const HASH_A: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
const HASH_B: &str = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNob3RoZXJoYXNo";

fn admin() -> Actor {
    Actor::new("admin", "admin")
}

both!(accounts_are_audited_without_the_hash_and_sessions_store_only_a_digest);
async fn accounts_are_audited_without_the_hash_and_sessions_store_only_a_digest(db: TestDb) {
    let s = &db.store;
    s.apply_ledger(
        &clerk(),
        &[compound("阳光小区", "大沁他拉街道", "西湖社区")],
        jiff::civil::date(2026, 1, 5),
    )
    .await
    .unwrap();
    let regions = s.list_regions().await.unwrap();
    let street = regions.iter().find(|r| r.name == "大沁他拉街道").unwrap();
    let u = s
        .create_user(
            &admin(),
            NewUser {
                username: "liqiang".into(),
                display_name: "李强".into(),
                password_hash: HASH_A.into(),
                role: Role::Street,
                region_id: Some(street.id),
                company_id: None,
                department_id: None,
                compound_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(u.region_name.as_deref(), Some("大沁他拉街道"));
    assert_eq!(u.version, 1);
    assert!(u.active);

    // Same username again: refused.
    let again = s
        .create_user(
            &admin(),
            NewUser {
                username: "liqiang".into(),
                display_name: "另一个".into(),
                password_hash: HASH_A.into(),
                role: Role::Auditor,
                region_id: None,
                company_id: None,
                department_id: None,
                compound_id: None,
            },
        )
        .await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
    // A street account needs a region; a company account a company; a hash must be argon2.
    for (role, hash) in [
        (Role::Street, HASH_A),
        (Role::Company, HASH_A),
        (Role::Auditor, "plain"),
    ] {
        let r = s
            .create_user(
                &admin(),
                NewUser {
                    username: format!("x{}", role.code()),
                    display_name: String::new(),
                    password_hash: hash.into(),
                    role,
                    region_id: None,
                    company_id: None,
                    department_id: None,
                    compound_id: None,
                },
            )
            .await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{role:?}: {r:?}");
    }

    // Session: the token works, only its digest is stored.
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let sess = s
        .create_session(&u, expires, Some("127.0.0.1"))
        .await
        .unwrap();
    assert_eq!(sess.token.len(), 64);
    let found = s.session_by_token(&sess.token).await.unwrap().unwrap();
    assert_eq!(found.user.username, "liqiang");
    assert_eq!(found.csrf_token, sess.csrf_token);
    assert!(!found.revoked);
    assert!(s.session_by_token("not-a-token").await.unwrap().is_none());
    let stored: Vec<String> = anju_store::query("SELECT token_sha256 FROM sessions")
        .fetch_all(s.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.string(0).unwrap())
        .collect();
    assert_eq!(stored, vec![anju_store::sha256_hex(sess.token.as_bytes())]);

    // Password change: versioned, revokes sessions, audited without the hash.
    let stale = s.set_password(&admin(), u.id, 7, HASH_B).await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    let u2 = s.set_password(&admin(), u.id, 1, HASH_B).await.unwrap();
    assert_eq!(u2.version, 2);
    assert!(
        s.session_by_token(&sess.token)
            .await
            .unwrap()
            .unwrap()
            .revoked
    );
    let (_, hash) = s.user_credentials("liqiang").await.unwrap().unwrap();
    assert_eq!(hash, HASH_B);

    // Disable: versioned and audited; a disabled account gets no session.
    let u3 = s.set_user_active(&admin(), u.id, 2, false).await.unwrap();
    assert!(!u3.active);
    let refused = s.create_session(&u3, expires, None).await;
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "{refused:?}"
    );

    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("user".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["insert", "password", "disable"]);
    let everything =
        serde_json::to_string(&s.audit_entries(&AuditFilter::default()).await.unwrap()).unwrap();
    assert!(!everything.contains("argon2"), "no hash in the audit log");
    assert!(
        !everything.contains(&sess.token),
        "no token in the audit log"
    );
    assert!(everything.contains("\"login\""), "logins are audited");

    // Users cannot be deleted.
    assert!(
        anju_store::query("DELETE FROM users")
            .execute(s.pool())
            .await
            .is_err()
    );
}

both!(region_tree_answers_within);
async fn region_tree_answers_within(db: TestDb) {
    let s = &db.store;
    let a = s
        .ensure_region_path(
            &clerk(),
            Some("通辽市"),
            Some("奈曼旗"),
            "大沁他拉街道",
            Some("西湖社区"),
        )
        .await
        .unwrap();
    let b = s
        .ensure_region_path(
            &clerk(),
            Some("通辽市"),
            Some("奈曼旗"),
            "白音他拉苏木",
            None,
        )
        .await
        .unwrap();
    let community = a.community.unwrap();
    let city = a.city.unwrap();
    let district = a.district.unwrap();
    assert!(s.region_within(community, a.street).await.unwrap());
    assert!(s.region_within(community, district).await.unwrap());
    assert!(s.region_within(community, city).await.unwrap());
    assert!(
        s.region_within(a.street, a.street).await.unwrap(),
        "a region is within itself"
    );
    assert!(
        !s.region_within(a.street, community).await.unwrap(),
        "not upwards"
    );
    assert!(
        !s.region_within(community, b.street).await.unwrap(),
        "not a sibling street"
    );
    assert_eq!(
        s.region_ancestors(community).await.unwrap(),
        vec![community, a.street, district, city]
    );
}
