/*
** The variadic entry points of the C API, and the exported data symbols.
**
** Stable Rust cannot define a C-variadic function, so each variadic function is a thin shim
** here: it reads its arguments with <stdarg.h>, by the operation code or the format string,
** and hands them to Rust (fl_* functions in capi/src). No logic lives here beyond unpacking.
** The printf family hands Rust a cursor over its va_list (FlVa), which the Rust formatter
** pulls typed arguments from as it reads the format (capi/src/printf.rs).
*/
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_str sqlite3_str;
typedef long long sqlite3_int64;

/* ---- data symbols ---- */
const char sqlite3_version[] = "3.40.1";
char *sqlite3_temp_directory = 0;
char *sqlite3_data_directory = 0;

/* ---- va_list cursor for the printf family ---- */
typedef struct FlVa { va_list ap; } FlVa;

long long fl_va_int(FlVa *v, int width) {
  switch (width) {
    case 0: return va_arg(v->ap, int);
    case 1: return va_arg(v->ap, long);
    default: return va_arg(v->ap, long long);
  }
}
double fl_va_double(FlVa *v) { return va_arg(v->ap, double); }
const char *fl_va_str(FlVa *v) { return va_arg(v->ap, const char *); }
void *fl_va_ptr(FlVa *v) { return va_arg(v->ap, void *); }

char *fl_vmprintf(const char *zFormat, FlVa *v);
void fl_vsnprintf(int n, char *zBuf, const char *zFormat, FlVa *v);
void fl_str_vappendf(sqlite3_str *p, const char *zFormat, FlVa *v);
void fl_log(int iErrCode, const char *zMsg);
int fl_log_enabled(void);
void sqlite3_free(void *);

char *sqlite3_vmprintf(const char *zFormat, va_list ap) {
  FlVa v;
  char *z;
  va_copy(v.ap, ap);
  z = fl_vmprintf(zFormat, &v);
  va_end(v.ap);
  return z;
}

char *sqlite3_mprintf(const char *zFormat, ...) {
  va_list ap;
  char *z;
  va_start(ap, zFormat);
  z = sqlite3_vmprintf(zFormat, ap);
  va_end(ap);
  return z;
}

char *sqlite3_vsnprintf(int n, char *zBuf, const char *zFormat, va_list ap) {
  FlVa v;
  if (n <= 0 || zBuf == 0) return zBuf;
  va_copy(v.ap, ap);
  fl_vsnprintf(n, zBuf, zFormat, &v);
  va_end(v.ap);
  return zBuf;
}

char *sqlite3_snprintf(int n, char *zBuf, const char *zFormat, ...) {
  va_list ap;
  char *z;
  va_start(ap, zFormat);
  z = sqlite3_vsnprintf(n, zBuf, zFormat, ap);
  va_end(ap);
  return z;
}

void sqlite3_str_vappendf(sqlite3_str *p, const char *zFormat, va_list ap) {
  FlVa v;
  va_copy(v.ap, ap);
  fl_str_vappendf(p, zFormat, &v);
  va_end(v.ap);
}

void sqlite3_str_appendf(sqlite3_str *p, const char *zFormat, ...) {
  va_list ap;
  va_start(ap, zFormat);
  sqlite3_str_vappendf(p, zFormat, ap);
  va_end(ap);
}

void sqlite3_log(int iErrCode, const char *zFormat, ...) {
  va_list ap;
  char *z;
  if (!fl_log_enabled()) return;
  va_start(ap, zFormat);
  z = sqlite3_vmprintf(zFormat, ap);
  va_end(ap);
  fl_log(iErrCode, z);
  sqlite3_free(z);
}

/* ---- configuration ---- */
typedef struct FlConfigArgs { long long i[3]; void *p[3]; } FlConfigArgs;
int fl_config(int op, const FlConfigArgs *a);
int fl_db_config(sqlite3 *db, int op, const FlConfigArgs *a);
int fl_vtab_config(sqlite3 *db, int op, int arg);

int sqlite3_config(int op, ...) {
  va_list ap;
  FlConfigArgs a;
  memset(&a, 0, sizeof(a));
  va_start(ap, op);
  switch (op) {
    case 4: case 5: case 10: case 11: case 14: case 15: case 18: case 19: case 24:
      /* MALLOC, GETMALLOC, MUTEX, GETMUTEX, PCACHE, GETPCACHE, PCACHE2, GETPCACHE2, HDRSZ */
      a.p[0] = va_arg(ap, void *);
      break;
    case 6: case 7: case 8: /* SCRATCH, PAGECACHE, HEAP: (void*, int, int) */
      a.p[0] = va_arg(ap, void *);
      a.i[0] = va_arg(ap, int);
      a.i[1] = va_arg(ap, int);
      break;
    case 13: /* LOOKASIDE: (int, int) */
      a.i[0] = va_arg(ap, int);
      a.i[1] = va_arg(ap, int);
      break;
    case 16: case 21: /* LOG, SQLLOG: (callback, void*) */
      a.p[0] = (void *)va_arg(ap, void (*)(void));
      a.p[1] = va_arg(ap, void *);
      break;
    case 22: /* MMAP_SIZE: (sqlite3_int64, sqlite3_int64) */
      a.i[0] = va_arg(ap, sqlite3_int64);
      a.i[1] = va_arg(ap, sqlite3_int64);
      break;
    case 29: /* MEMDB_MAXSIZE: (sqlite3_int64) */
      a.i[0] = va_arg(ap, sqlite3_int64);
      break;
    case 25: /* PMASZ: (unsigned int) */
      a.i[0] = va_arg(ap, unsigned int);
      break;
    case 9: case 17: case 20: case 23: case 26: case 27: case 28:
      /* MEMSTATUS, URI, COVERING_INDEX_SCAN, WIN32_HEAPSIZE, STMTJRNL_SPILL, SMALL_MALLOC,
         SORTERREF_SIZE: (int) */
      a.i[0] = va_arg(ap, int);
      break;
    default:
      break;
  }
  va_end(ap);
  return fl_config(op, &a);
}

int sqlite3_db_config(sqlite3 *db, int op, ...) {
  va_list ap;
  FlConfigArgs a;
  memset(&a, 0, sizeof(a));
  va_start(ap, op);
  switch (op) {
    case 1000: /* MAINDBNAME: (const char*) */
      a.p[0] = va_arg(ap, void *);
      break;
    case 1001: /* LOOKASIDE: (void*, int, int) */
      a.p[0] = va_arg(ap, void *);
      a.i[0] = va_arg(ap, int);
      a.i[1] = va_arg(ap, int);
      break;
    default: /* the boolean options: (int onoff, int *pRes) */
      if (op >= 1002 && op <= 1017) {
        a.i[0] = va_arg(ap, int);
        a.p[0] = va_arg(ap, int *);
      }
      break;
  }
  va_end(ap);
  return fl_db_config(db, op, &a);
}

int sqlite3_vtab_config(sqlite3 *db, int op, ...) {
  va_list ap;
  int arg = 0;
  va_start(ap, op);
  if (op == 1) arg = va_arg(ap, int); /* SQLITE_VTAB_CONSTRAINT_SUPPORT */
  va_end(ap);
  return fl_vtab_config(db, op, arg);
}

int sqlite3_test_control(int op, ...) {
  /* Test hooks of SQLite's own test suite; none is built in Ferrolite. */
  (void)op;
  return 0;
}
