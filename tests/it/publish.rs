//! Tests for publish (being written).
