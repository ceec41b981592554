//! The integration tests: one binary, a module per concern. They run the
//! real `smssim` binary on the shipped scenarios.

mod architecture;
mod bad_input;
mod catalogue;
mod ccr;
mod charts;
mod cli;
mod compare;
mod determinism;
mod distribution;
mod doc_commands;
mod fingerprint;
mod folders;
mod plot_input;
mod report;
mod rollout;
mod status;
mod support;
