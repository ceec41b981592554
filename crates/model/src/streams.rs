//! Random stream purposes, owned by the part of the model that draws from
//! them.
//!
//! Each part (the world, each subsystem) declares a range of purpose
//! numbers ([`Draws::STREAMS`]: world 1–15, status 16–31, CCR 32–47,
//! distribution 48–63), and its purposes are constants of type
//! [`StreamId<ItsType>`] beside its code. [`StreamId::new`] checks the
//! number against the owner's range when the constant is compiled, so a
//! purpose outside its owner's range does not compile, and a test checks
//! that no two ranges overlap: two parts can never draw from one stream.
//!
//! The numbers are part of the reproducibility contract: never renumber,
//! only add.

use std::marker::PhantomData;
use std::ops::Range;

/// A part of the model that draws random numbers.
pub trait Draws {
    /// The purpose numbers it owns.
    const STREAMS: Range<u16>;
}

/// A stream purpose of owner `O`.
pub struct StreamId<O>(u16, PhantomData<fn() -> O>);

impl<O: Draws> StreamId<O> {
    /// Purpose `n`, which must lie in `O`'s range (checked at compile time
    /// when used in a constant).
    pub const fn new(n: u16) -> Self {
        assert!(
            O::STREAMS.start <= n && n < O::STREAMS.end,
            "a stream purpose outside its owner's declared range"
        );
        StreamId(n, PhantomData)
    }
}

impl<O> Clone for StreamId<O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<O> Copy for StreamId<O> {}

impl<O> std::fmt::Debug for StreamId<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StreamId({})", self.0)
    }
}

impl<O> smssim_engine::rng::Purpose for StreamId<O> {
    #[inline]
    fn id(self) -> u16 {
        self.0
    }
}
