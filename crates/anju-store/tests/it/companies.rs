//! Property companies and their credit codes.

use crate::support::{TestDb, both, clerk, code};
use anju_store::{CompanyUpdate, StoreError};

both!(company_credit_code_is_unique);
async fn company_credit_code_is_unique(db: TestDb) {
    let s = &db.store;
    let a = s
        .upsert_company(&clerk(), "甲物业", Some(code(1)))
        .await
        .unwrap();
    assert_eq!(
        s.upsert_company(&clerk(), "甲物业", Some(code(1)))
            .await
            .unwrap(),
        a
    );
    assert_eq!(s.upsert_company(&clerk(), "甲物业", None).await.unwrap(), a);

    let err = s
        .upsert_company(&clerk(), "乙物业", Some(code(1)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Duplicate(m) if m.contains("甲物业")),
        "{err}"
    );
    let err = s
        .upsert_company(&clerk(), "甲物业", Some(code(2)))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");

    let b = s.upsert_company(&clerk(), "乙物业", None).await.unwrap();
    assert_ne!(a, b);
    assert_eq!(
        s.upsert_company(&clerk(), "乙物业", Some(code(2)))
            .await
            .unwrap(),
        b
    );
    let list = s.list_companies().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list.iter().find(|c| c.id == b).unwrap().credit_code,
        Some(code(2))
    );
    assert_eq!(
        s.audit_count().await.unwrap(),
        3,
        "insert 甲, insert 乙, code for 乙"
    );

    // Editing a company checks its version, and the database keeps codes unique.
    let before = s.get_company(b).await.unwrap();
    let edit = CompanyUpdate {
        name: "乙物业".into(),
        credit_code: Some(code(1)),
        contact_person: Some("赵六".into()),
        phone: Some("0475-4212345".into()),
    };
    let err = s
        .update_company(&clerk(), b, before.version, edit.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate(_)), "{err}");
    let edit = CompanyUpdate {
        credit_code: Some(code(2)),
        ..edit
    };
    let after = s
        .update_company(&clerk(), b, before.version, edit.clone())
        .await
        .unwrap();
    assert_eq!(after.contact_person.as_deref(), Some("赵六"));
    let err = s
        .update_company(&clerk(), b, before.version, edit)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                entity: "company",
                ..
            }
        ),
        "{err}"
    );
}
