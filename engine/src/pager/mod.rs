//! Pager: page cache, transactions, rollback journal, locking (issue 4). Not built yet.
