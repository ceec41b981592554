//! Why a scenario could not be loaded. Every message names the file and the
//! line and column, or the field path, and says what was expected.

use crate::issues::Issue;

/// A scenario that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{path}: cannot read the scenario file")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not well-formed JSON.
    #[error("{path}:{line}:{column}: malformed JSON: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A field has the wrong type or value, or is unknown.
    #[error("{path}:{line}:{column}: {field}: {message}")]
    Field {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Dotted path of the field.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An array stands where an object with named fields is expected.
    #[error("{path}: {field}: {message}")]
    Shape {
        /// The file.
        path: String,
        /// Dotted path of the field (`(top level)` for the whole file).
        field: String,
        /// What was expected.
        message: String,
    },
    /// A field set by `--set` has the wrong type or value.
    #[error("{path}: {field} (after --set): {message}")]
    OverriddenField {
        /// The file.
        path: String,
        /// Dotted path of the field.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A `--set` argument is not `KEY=VALUE`.
    #[error("--set {arg:?}: expected KEY=VALUE, e.g. --set topology.clients_per_cap=50")]
    OverrideSyntax {
        /// The argument given.
        arg: String,
    },
    /// A `--set` or `--vary` key names no field of the scenario.
    #[error("{path}: --set {key}: no such field{}", suggest(.suggestions))]
    UnknownPath {
        /// The file.
        path: String,
        /// The key given.
        key: String,
        /// The nearest valid keys.
        suggestions: Vec<String>,
    },
    /// The scenario parsed but does not make sense.
    #[error("{path}: invalid scenario:\n{}", list(.issues))]
    Invalid {
        /// The file.
        path: String,
        /// Every problem found.
        issues: Vec<Issue>,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; nearest valid keys: {}", s.join(", "))
    }
}

fn list(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}
