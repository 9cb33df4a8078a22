//! Tests for serve (being written).
