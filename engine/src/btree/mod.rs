//! B-trees: table and index b-trees over the pager (issue 4). Not built yet.
