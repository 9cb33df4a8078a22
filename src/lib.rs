//! binder: a static-site generator for coaching knowledge bases.
//!
//! The pipeline, one module per stage, data flowing one way (no stage imports one that runs
//! after it): [`config`] (site.toml) → [`load`] (walk content/) → [`parse`] (front matter,
//! Markdown) → [`assemble`] (sections, pages, URLs) → [`taxonomy`] (concepts, authors,
//! glossary entries) → [`resolve`] (links of every document against one index, backlinks,
//! series, pairs, related) → [`render`] (Tera templates, one job per output file) →
//! [`write`](mod@write) (output registry, staging folder, atomic swap). [`site`] runs the
//! stages into the [`model::Site`]; [`build`] drives `binder build` and `binder check`;
//! [`serve`] is the dev server with live reload.

pub mod assemble;
pub mod build;
pub mod config;
pub mod diag;
pub mod extras;
pub mod git;
pub mod glossary;
pub mod health;
pub mod html;
pub mod import;
pub mod kinds;
pub mod load;
pub mod model;
pub mod parse;
pub mod paths;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod taxonomy;
pub mod write;

pub use site::BuildOptions;
