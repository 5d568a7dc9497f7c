//! Reading a policy file: TOML → [`PolicyFile`] (every unknown key collected with its line) →
//! [`Policy`]. Also the key-path → line map that lint uses for every finding.

use crate::error::PolicyError;
use crate::format::PolicyFile;
use crate::policy::{CompileIssue, Policy};
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

/// "tables.score_factor.tiers.1.range" from a serde_ignored path.
pub(crate) fn path_string(p: &serde_ignored::Path<'_>) -> String {
    fn walk(p: &serde_ignored::Path<'_>, out: &mut Vec<String>) {
        match p {
            serde_ignored::Path::Root => {}
            serde_ignored::Path::Seq { parent, index } => {
                walk(parent, out);
                out.push(index.to_string());
            }
            serde_ignored::Path::Map { parent, key } => {
                walk(parent, out);
                out.push(key.clone());
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => walk(parent, out),
        }
    }
    let mut v = Vec::new();
    walk(p, &mut v);
    v.join(".")
}

/// Line numbers (1-based) of every key in a TOML text, by dotted path.
#[derive(Debug, Clone, Default)]
pub struct LineMap {
    lines: BTreeMap<String, usize>,
}

impl LineMap {
    pub fn build(src: &str) -> LineMap {
        let mut m = LineMap::default();
        if let Ok(root) = DeTable::parse(src) {
            // Line numbers by binary search over the newlines' offsets, found once: counting
            // from the start for every key made an 11 MB file take minutes.
            let src = Newlines::of(src);
            m.walk_table(&src, "", root.get_ref());
        }
        m
    }

    fn walk_table(&mut self, src: &Newlines, prefix: &str, t: &DeTable<'_>) {
        for (k, v) in t.iter() {
            let path = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            self.lines.insert(path.clone(), src.line(k.span().start));
            self.walk_value(src, &path, v.get_ref(), v.span().start);
        }
    }

    fn walk_value(&mut self, src: &Newlines, path: &str, v: &DeValue<'_>, _start: usize) {
        match v {
            DeValue::Table(t) => self.walk_table(src, path, t),
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let p = format!("{path}.{i}");
                    let mut line = src.line(item.span().start);
                    // An array-of-tables element's span starts at its first key; its header
                    // `[[…]]` is the line above that.
                    if let DeValue::Table(t) = item.get_ref()
                        && let Some((k, _)) = t.iter().next()
                    {
                        line = line.min(src.line(k.span().start));
                    }
                    self.lines.insert(p.clone(), line);
                    self.walk_value(src, &p, item.get_ref(), item.span().start);
                }
            }
            _ => {}
        }
    }

    /// The line of `path`, or of its nearest ancestor that has one; 1 at worst.
    pub fn line(&self, path: &str) -> usize {
        let mut p = path;
        loop {
            if let Some(l) = self.lines.get(p) {
                return *l;
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return 1,
            }
        }
    }

    /// The line of `path` only if that exact key is written.
    pub fn exact(&self, path: &str) -> Option<usize> {
        self.lines.get(path).copied()
    }
}

/// 1-based line of a byte offset.
/// The offsets of a text's newlines, to find the line of an offset in O(log n).
struct Newlines(Vec<usize>);

impl Newlines {
    fn of(src: &str) -> Newlines {
        Newlines(
            src.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of `offset` (as [`line_of`]).
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|p| *p < offset) + 1
    }
}

pub fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// What reading a policy text produced, short of compiling it.
pub struct Parsed {
    pub file: Option<PolicyFile>,
    /// (path, line) of every key the format does not know.
    pub unknown: Vec<(String, usize)>,
    /// A syntax or type error: (line, message).
    pub error: Option<(usize, String)>,
    pub lines: LineMap,
}

/// Parses a policy text without compiling it; never fails, reports instead.
pub fn parse_file(src: &str) -> Parsed {
    let lines = LineMap::build(src);
    let de = match toml::Deserializer::parse(src) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| line_of(src, s.start)).unwrap_or(1);
            return Parsed {
                file: None,
                unknown: Vec::new(),
                error: Some((line, e.message().to_string())),
                lines,
            };
        }
    };
    let mut unknown_paths: Vec<String> = Vec::new();
    let res: Result<PolicyFile, toml::de::Error> =
        serde_ignored::deserialize(de, |p| unknown_paths.push(path_string(&p)));
    let unknown = unknown_paths
        .into_iter()
        .filter(|p| !p.starts_with("examples.") || !p.contains(".scenario."))
        .map(|p| {
            let l = lines.line(&p);
            (p, l)
        })
        .collect();
    match res {
        Ok(file) => Parsed {
            file: Some(file),
            unknown,
            error: None,
            lines,
        },
        Err(e) => {
            let line = e.span().map(|s| line_of(src, s.start)).unwrap_or(1);
            Parsed {
                file: None,
                unknown,
                error: Some((line, e.message().to_string())),
                lines,
            }
        }
    }
}

/// Reads and compiles a policy text. The first problem is the error; `lint` lists them all.
pub fn load(src: &str) -> Result<Policy, PolicyError> {
    let parsed = parse_file(src);
    if let Some((line, msg)) = parsed.error {
        return Err(PolicyError::InvalidPolicy { line, msg });
    }
    if let Some((path, line)) = parsed.unknown.first() {
        return Err(PolicyError::InvalidPolicy {
            line: *line,
            msg: format!("未知字段 {path} / unknown key {path}"),
        });
    }
    let Some(file) = parsed.file else {
        return Err(PolicyError::InvalidPolicy {
            line: 1,
            msg: "无法读取 / unreadable".into(),
        });
    };
    Policy::compile(file).map_err(|issues| {
        let CompileIssue { path, msg } = issues.into_iter().next().unwrap_or(CompileIssue {
            path: String::new(),
            msg: String::new(),
        });
        PolicyError::InvalidPolicy {
            line: parsed.lines.line(&path),
            msg: format!("{path}: {msg}"),
        }
    })
}
