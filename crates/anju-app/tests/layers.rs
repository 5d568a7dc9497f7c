//! The layers hold: an adapter crate reaches the database only through anju-app. For each
//! crate listed in [`ADAPTERS`], its `Cargo.toml` names no `anju-store` under `[dependencies]`
//! (a dev-dependency for its tests is fine) and no source file under its `src/` names
//! `anju_store` or calls `.store()` (the App's handle for the reads not yet moved).

use std::path::{Path, PathBuf};

/// The adapters (the command line, the web pages and the API), by folder under `crates/`.
const ADAPTERS: &[&str] = &["anju-cli", "anju-web"];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The crate names of one `[section]` of a Cargo.toml: a line `name.workspace = true`,
/// `name = "…"` or `name = { … }` under the section's header, up to the next header.
fn section_names(manifest: &str, section: &str) -> Vec<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{section}]");
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = line.split(['=', '.']).next().unwrap_or("").trim();
        if !key.is_empty() {
            out.push(key.trim_matches('"').to_string());
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// What breaks the layering in one adapter crate, one line per finding.
fn findings(krate: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let manifest_path = krate.join("Cargo.toml");
    match std::fs::read_to_string(&manifest_path) {
        Ok(manifest) => {
            if section_names(&manifest, "dependencies")
                .iter()
                .any(|n| n == "anju-store")
            {
                out.push(format!(
                    "{}: [dependencies] names anju-store",
                    manifest_path.display()
                ));
            }
        }
        Err(e) => out.push(format!("{}: {e}", manifest_path.display())),
    }
    let mut files = Vec::new();
    rust_files(&krate.join("src"), &mut files);
    if files.is_empty() {
        out.push(format!("{}: no source files found", krate.display()));
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.contains("anju_store") || line.contains(".store()") {
                out.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn adapters_reach_the_database_only_through_the_application_layer() {
    let dir = crates_dir();
    let mut all = Vec::new();
    for name in ADAPTERS {
        all.extend(findings(&dir.join(name)));
    }
    assert!(
        all.is_empty(),
        "an adapter goes around anju-app (call a use case of anju_app::App instead; add one \
         to anju-app where it is missing):\n{}",
        all.join("\n")
    );
}

/// The check itself can fail: a manifest and a source file that break the rule are found.
#[test]
fn the_check_finds_a_store_dependency_and_a_store_call() {
    let tmp = std::env::temp_dir().join(format!("anju-layers-{}", std::process::id()));
    let src = tmp.join("src");
    std::fs::create_dir_all(&src).expect("temp dir");
    std::fs::write(
        tmp.join("Cargo.toml"),
        "[package]\nname = \"x\"\n\n[dependencies]\nanju-app.workspace = true\nanju-store.workspace = true\n\n[dev-dependencies]\nanju-store.workspace = true\n",
    )
    .expect("manifest");
    std::fs::write(
        src.join("main.rs"),
        "use anju_store::Store;\nfn f(app: &App) { app.store().list(); }\n",
    )
    .expect("source");
    let found = findings(&tmp);
    std::fs::remove_dir_all(&tmp).ok();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("[dependencies] names anju-store"));

    // A dev-dependency alone is fine.
    let dev_only = "[dependencies]\nanju-app.workspace = true\n\n[dev-dependencies]\nanju-store = { workspace = true }\n";
    assert!(!section_names(dev_only, "dependencies").contains(&"anju-store".to_string()));
    assert!(section_names(dev_only, "dev-dependencies").contains(&"anju-store".to_string()));
}
