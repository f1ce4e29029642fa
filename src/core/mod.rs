//! The pure core: where rapport's judgement lives.
//!
//! Nothing in here does I/O, reads the clock or touches tokio: every function takes
//! `now` (and everything else it needs) as arguments, so it can be tested exhaustively
//! without servers or sleeping.

pub mod address;
pub mod attribution;
pub mod balance;
pub mod brief;
pub mod calendar;
pub mod classify;
pub mod contentline;
pub mod digest;
pub mod goals;
pub mod intro;
pub mod meetings;
pub mod model;
pub mod netmap;
pub mod plan;
pub mod render;
pub mod share;
pub mod timeline;
pub mod todo;
