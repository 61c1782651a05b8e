//! tidings: a terminal news reader.
//!
//! The crate is laid out as the data flows: [`load`] turns files into
//! articles, [`model`] turns articles into a [`model::Library`] of stories
//! and headlines, and the command line and the reader present it.

pub mod action;
pub mod app;
pub mod atomic_file;
pub mod background;
pub mod bundled;
pub mod cli;
pub mod config;
pub mod contained;
pub mod dates;
pub mod extract;
pub mod feeds;
pub mod index;
pub mod io_error;
pub mod load;
pub mod model;
pub mod paths;
pub mod prefetch;
pub mod query;
pub mod search;
pub mod sources;
pub mod state;
pub mod sync;
pub mod text;
pub mod tui;
pub mod ui;
pub mod web;
