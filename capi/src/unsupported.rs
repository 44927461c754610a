//! The C functions whose behaviour is not built yet.
//!
//! Each one is exported with SQLite's signature (pointer arguments are passed as `void*`, which
//! has the same ABI as any data or function pointer), so every program that links against
//! SQLite loads. Each returns the documented failure value: `SQLITE_ERROR` for functions that
//! return a result code (0 where the value is a count or a flag), NULL for pointers, 0 for
//! numbers; those that take a connection also set its error message to "<function> is not
//! supported yet by Ferrolite". docs/COMPAT.md lists them. A function leaves this file when it
//! is built for real.

#![allow(unused_variables)]

use crate::global::SQLITE_ERROR;
use crate::guard::guard;
use libc::{c_int, c_uint, c_void};

#[no_mangle]
pub extern "C" fn sqlite3_database_file_object(_a0: *mut c_void) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_expanded_sql(_a0: *mut c_void) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_bind_pointer(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_database_name(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_database_name16(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_table_name(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_table_name16(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_origin_name(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_origin_name16(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_column_decltype16(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_aggregate_count(_a0: *mut c_void) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_expired(_a0: *mut c_void) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_transfer_bindings(_a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_global_recover() -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_thread_cleanup() {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3_memory_alarm(_a0: *mut c_void, _a1: *mut c_void, _a2: i64) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_value_pointer(_a0: *mut c_void, _a1: *mut c_void) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_value_text16le(_a0: *mut c_void) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_value_text16be(_a0: *mut c_void) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_result_pointer(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3_collation_needed(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_collation_needed");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_collation_needed16(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_collation_needed16");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_db_name(a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_db_name");
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_txn_state(a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_txn_state");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_autovacuum_pages(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_autovacuum_pages");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_db_release_memory(a0: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_db_release_memory");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_table_column_metadata(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void, _a6: *mut c_void, _a7: *mut c_void, _a8: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_table_column_metadata");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_load_extension(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_load_extension");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_auto_extension(_a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_cancel_auto_extension(_a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_reset_auto_extension() {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3_create_module(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_create_module");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_create_module_v2(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_create_module_v2");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_drop_modules(a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_drop_modules");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_declare_vtab(a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_declare_vtab");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_overload_function(a0: *mut c_void, _a1: *mut c_void, _a2: c_int) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_overload_function");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_file_control(a0: *mut c_void, _a1: *mut c_void, _a2: c_int, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_file_control");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_stmt_status(_a0: *mut c_void, _a1: c_int, _a2: c_int) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_unlock_notify(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_unlock_notify");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_wal_autocheckpoint(a0: *mut c_void, _a1: c_int) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_wal_autocheckpoint");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_wal_checkpoint(a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_wal_checkpoint");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_wal_checkpoint_v2(a0: *mut c_void, _a1: *mut c_void, _a2: c_int, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_wal_checkpoint_v2");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_on_conflict(a0: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_vtab_on_conflict");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_nochange(_a0: *mut c_void) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_collation(_a0: *mut c_void, _a1: c_int) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_distinct(_a0: *mut c_void) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_in(_a0: *mut c_void, _a1: c_int, _a2: c_int) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_in_first(_a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_in_next(_a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_vtab_rhs_value(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_db_cacheflush(a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_db_cacheflush");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_preupdate_hook(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_preupdate_hook");
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_preupdate_old(a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_preupdate_old");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_preupdate_count(a0: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_preupdate_count");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_preupdate_depth(a0: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_preupdate_depth");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_preupdate_new(a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_preupdate_new");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_preupdate_blobwrite(a0: *mut c_void) -> c_int {
    guard(0, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_preupdate_blobwrite");
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_serialize(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: c_uint) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_serialize");
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_deserialize(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: i64, _a4: i64, _a5: c_uint) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_deserialize");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_rtree_geometry_callback(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_rtree_geometry_callback");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_rtree_query_callback(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3_rtree_query_callback");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_create(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3session_create");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_delete(_a0: *mut c_void) {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3session_object_config(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_enable(_a0: *mut c_void, _a1: c_int) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_indirect(_a0: *mut c_void, _a1: c_int) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_attach(_a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_table_filter(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3session_changeset(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_changeset_size(_a0: *mut c_void) -> i64 {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_diff(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_patchset(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_isempty(_a0: *mut c_void) -> c_int {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_memory_used(_a0: *mut c_void) -> i64 {
    guard(0, || {
        0
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_start(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_start_v2(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void, _a3: c_int) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_next(_a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_op(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_pk(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_old(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_new(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_conflict(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_fk_conflicts(_a0: *mut c_void, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_finalize(_a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_invert(_a0: c_int, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_concat(_a0: c_int, _a1: *mut c_void, _a2: c_int, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changegroup_new(_a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changegroup_add(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changegroup_output(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changegroup_delete(_a0: *mut c_void) {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_apply(a0: *mut c_void, _a1: c_int, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3changeset_apply");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_apply_v2(a0: *mut c_void, _a1: c_int, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void, _a6: *mut c_void, _a7: *mut c_void, _a8: c_int) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3changeset_apply_v2");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3rebaser_create(_a0: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3rebaser_configure(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3rebaser_rebase(_a0: *mut c_void, _a1: c_int, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3rebaser_delete(_a0: *mut c_void) {
    guard((), || {})
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_apply_strm(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3changeset_apply_strm");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_apply_v2_strm(a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void, _a6: *mut c_void, _a7: *mut c_void, _a8: c_int) -> c_int {
    guard(SQLITE_ERROR, || {
        let _ = crate::db::not_supported(a0 as *mut crate::db::sqlite3, "sqlite3changeset_apply_v2_strm");
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_concat_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void, _a5: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_invert_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_start_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changeset_start_v2_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: c_int) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_changeset_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_patchset_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changegroup_add_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3changegroup_output_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3rebaser_rebase_strm(_a0: *mut c_void, _a1: *mut c_void, _a2: *mut c_void, _a3: *mut c_void, _a4: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}

#[no_mangle]
pub extern "C" fn sqlite3session_config(_a0: c_int, _a1: *mut c_void) -> c_int {
    guard(SQLITE_ERROR, || {
        SQLITE_ERROR
    })
}
