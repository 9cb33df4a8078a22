//! Extras: publish outputs (being written).

use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{Bodies, Renderer};
use crate::write::Sink;

/// Writes this group's outputs; returns the number of files written.
pub(super) fn write(_site: &Site, _renderer: &Renderer, _bodies: &Bodies, _sink: &dyn Sink, _diags: &mut Diagnostics) -> usize {
    0
}
