//! Varints and the record format, shared by the b-tree and the VM (issue 4). Not built yet.
