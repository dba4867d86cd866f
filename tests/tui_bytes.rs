//! What a timer tick and a key cost on the wire: the terminal receives only
//! the cells that changed, not a full repaint.
#![allow(clippy::unwrap_used)]

#[path = "support/wire.rs"]
mod wire;

use brevet::tui::keymap::Action;
use chrono::TimeDelta;
use wire::{frames, t0};

#[test]
fn a_timer_tick_sends_under_100_bytes() {
    let (full, tick) = frames(|app| {
        app.tick(t0() + TimeDelta::seconds(1)).unwrap();
    });
    assert!(full > 2_000, "a full frame is a few kilobytes ({full})");
    assert!(tick < 100, "a tick sent {tick} bytes");
    assert!(tick > 0, "the countdown must change");
}

#[test]
fn moving_the_selection_sends_a_small_update() {
    let (full, moved) = frames(|app| {
        app.handle(Action::Down, t0()).unwrap();
    });
    assert!(moved < full / 4, "a move sent {moved} of {full} bytes");
}
