//! WAL: frames, WAL-index, checkpoint, recovery. Not built yet.
