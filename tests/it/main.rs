//! Integration tests: one binary, a module per feature. Each test builds its own small
//! fixture site in a temp dir (see `support`); only `smoke` uses the sample handbook.

#![allow(unreachable_pub)]

mod architecture;
mod browser;
mod build;
mod errors;
mod folders;
mod front_matter;
mod fuzz;
mod git;
mod glossary;
mod health;
mod hostile;
mod import;
mod kinds;
mod knowledge;
mod links;
mod pages;
mod paths;
mod publish;
mod scaffold;
mod serve;
mod smoke;
mod support;
mod taxonomy;
mod theme;
