//! The pure core: where rapport's judgement lives.
//!
//! Nothing in here does I/O, reads the clock or touches tokio: every function takes
//! `now` (and everything else it needs) as arguments, so it can be tested exhaustively
//! without servers or sleeping.

pub mod classify;
pub mod digest;
pub mod model;
pub mod plan;
pub mod render;
