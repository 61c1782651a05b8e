//! Every integration test, in one binary that links the library and the
//! helpers in `common` once (one binary per file linked them 21 times).
//! Each module is one concern, as its own comment says.

// A failed unwrap in a test is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../../benches/support/hostile.rs"]
mod hostile_feeds;
#[path = "../../benches/support/pages.rs"]
mod pages;

mod architecture;
mod bad_input;
mod cli;
mod clusters;
mod config;
mod e2e;
mod feed_formats;
mod feeds;
mod full_text;
mod hostile;
mod index;
mod loading;
mod model;
mod navigation;
mod packaging;
mod properties;
mod reader_search;
mod screens;
mod scripts;
mod search;
mod sources;
mod state;
mod sync;
mod update;
