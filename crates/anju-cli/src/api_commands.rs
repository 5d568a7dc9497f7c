//! `anju --help` and the API's document describe the same operations: every command that
//! anju-web's route table names for an API route (`anju_web::api::cli`) exists in this
//! command's clap tree.

use crate::Cli;
use anju_web::api::cli::{COMMANDS, Cli as Side};
use clap::CommandFactory;

/// The subcommand at `path` (words after `anju`), if there is one.
fn find(path: &str) -> Option<clap::Command> {
    let mut at = Cli::command();
    for word in path.split_whitespace() {
        at = at.find_subcommand(word)?.clone();
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
}
