//! Tests for knowledge (being written).
