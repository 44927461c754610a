//! Name resolution, WHERE analysis, code generation (issue 6). Not built yet.
