//! `anju --help` and the API's document describe the same operations: every command that
//! anju-web's route table names for an API route (`anju_web::api::cli`) exists in this
//! command's clap tree.

use crate::Cli;
use anju_web::api::cli::{COMMANDS, Cli as Side};
use clap::CommandFactory;

/// The subcommand at `path` (words after `anju`), if there is one. From the first word that
/// starts with `--` on, the words are flags of that subcommand with their values
/// (`referral step --step acknowledge`): each flag must be one of its arguments, and a value
/// one of the flag's possible values where clap lists them.
fn find(path: &str) -> Option<clap::Command> {
    let mut at = Cli::command();
    let mut words = path.split_whitespace().peekable();
    while let Some(word) = words.next_if(|w| !w.starts_with("--")) {
        at = at.find_subcommand(word)?.clone();
    }
    while let Some(flag) = words.next() {
        let name = flag.strip_prefix("--")?;
        let arg = at
            .get_arguments()
            .find(|a| a.get_long() == Some(name))?
            .clone();
        let possible = arg.get_possible_values();
        while let Some(value) = words.next_if(|w| !w.starts_with("--")) {
            if !possible.is_empty() && !possible.iter().any(|p| p.matches(value, false)) {
                return None;
            }
        }
    }
    Some(at)
}

#[test]
fn every_command_the_api_names_exists() {
    let mut missing = Vec::new();
    for (method, path, side) in COMMANDS {
        match side {
            Side::Commands(cs) => {
                assert!(
                    !cs.is_empty(),
                    "{method} {path}: name a command or say why not"
                );
                for c in *cs {
                    if find(c).is_none() {
                        missing.push(format!("{method} {path}: anju {c}"));
                    }
                }
            }
            Side::Without(why) => assert!(!why.trim().is_empty(), "{method} {path}: say why"),
        }
    }
    assert!(
        missing.is_empty(),
        "no such command:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_walk_finds_commands_and_misses_others() {
    assert!(find("tasks add").is_some());
    assert!(find("funding policy set").is_some());
    assert!(find("tasks fly").is_none());
    assert!(find("referral step --step acknowledge").is_some());
    assert!(find("referral step --fly acknowledge").is_none());
    assert!(find("stats --format json").is_some());
    assert!(find("stats --format yaml").is_none());
}
