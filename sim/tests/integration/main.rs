//! The integration tests: one binary, a module per concern. They run the
//! real `smssim` binary on the shipped scenarios.

mod ccr;
mod cli;
mod determinism;
mod status;
mod support;
