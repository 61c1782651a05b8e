//! tidings: a terminal news reader.
//!
//! The crate is laid out as the data flows: [`load`] turns files into
//! articles, [`model`] turns articles into a [`model::Library`] of stories
//! and headlines, and the command line and the reader present it.

pub mod bundled;
pub mod cli;
pub mod load;
pub mod model;
pub mod search;
pub mod text;
