//! Tests for scaffold (being written).
