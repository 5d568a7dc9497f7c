//! Seed 003's two rosters (附件1 领导小组, 附件2 专班), cut from the seed file as it stands beside the
//! checkout and read by `parse_roster`: every member, role and office sentence as printed.

use anju_core::organisation::{MemberRole, Roster, parse_roster};

/// The seed's text, or `None` (with a line saying the test did not run) where the seeds are not
/// beside the checkout; under CI their absence is a failure.
fn seed_003() -> Option<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let found = std::fs::read_dir(&dir).ok().and_then(|rd| {
        rd.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("003_"))
        })
    });
    match found {
        Some(p) => Some(std::fs::read_to_string(&p).expect("seed 003 readable")),
        None => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "CI: seed 003 is missing at {}", dir.display());
            eprintln!("seed_rosters: NOT RUN, no seed texts at {}", dir.display());
            None
        }
    }
}

/// The roster of an attachment: from its first role line to the next attachment's heading.
fn attachment(seed: &str, heading: &str, next: &str) -> String {
    let start = seed
        .lines()
        .position(|l| l.trim() == heading)
        .unwrap_or_else(|| panic!("no {heading}"));
    seed.lines()
        .skip(start + 1)
        .skip_while(|l| !l.trim_start().starts_with('组'))
        .take_while(|l| l.trim() != next)
        .collect::<Vec<_>>()
        .join("\n")
}

fn count(r: &Roster, role: MemberRole) -> usize {
    r.members.iter().filter(|m| m.role == role).count()
}

#[test]
fn the_leading_group_and_the_task_force_read_as_printed() {
    let Some(seed) = seed_003() else {
        return;
    };
    let group = parse_roster(&attachment(&seed, "附件1", "附件2")).expect("附件1 reads");
    assert_eq!(group.office.as_deref(), Some("区住建局"));
    assert_eq!(count(&group, MemberRole::Head), 1);
    assert_eq!(count(&group, MemberRole::Deputy), 1);
    assert_eq!(
        count(&group, MemberRole::Member),
        23,
        "{:#?}",
        group.members
    );
    assert_eq!(count(&group, MemberRole::OfficeHead), 1);
    assert_eq!(count(&group, MemberRole::OfficeDeputy), 1);
    let first = &group.members[0];
    assert_eq!(
        (first.name.as_str(), first.position.as_str()),
        ("李军", "区委常委、区政府副区长")
    );
    assert!(
        group
            .members
            .iter()
            .any(|m| m.name == "于海洋" && m.position == "区消防救援大队大队长")
    );
    assert!(group.members.iter().any(|m| m.name == "项琳琳"
        && m.position == "区委组织部副部长、“两新”组织工委书记、区人才服务中心主任"));

    let task_force = parse_roster(&attachment(&seed, "附件2", "附件3")).expect("附件2 reads");
    assert_eq!(task_force.office.as_deref(), Some("区住建局"));
    assert_eq!(count(&task_force, MemberRole::Head), 1);
    assert_eq!(count(&task_force, MemberRole::Deputy), 3);
    assert_eq!(count(&task_force, MemberRole::Member), 9);
    assert_eq!(count(&task_force, MemberRole::OfficeHead), 1);
    assert_eq!(count(&task_force, MemberRole::OfficeDeputy), 2);
}
