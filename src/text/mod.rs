//! Text handling shared by the loader, the model and the views.

pub mod fold;
pub mod sanitize;
pub mod tokens;

pub use fold::{fold_for_matching, fold_typography, headline_key};
pub use sanitize::sanitize;
