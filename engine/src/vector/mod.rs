//! libSQL vector search: vector types, functions, DiskANN index. Not built yet.
