-- Built-in scalar functions: strings, numbers, blobs, printf, dates on fixed inputs.
SELECT length('hello'), length('héllo'), length(x'0102'), length(123), length(1.5);
SELECT upper('abcé'), lower('ABCÉ'), substr('hello', 2, 3), substr('hello', -3), substr('hello', 0, 2), substr('hello', 2);
SELECT trim('  x  '), ltrim('  x  '), rtrim('  x  '), trim('xxaxx', 'x'), replace('banana', 'an', 'AN');
SELECT instr('hello', 'll'), instr('hello', 'z'), instr(NULL, 'a'), hex('abc'), hex(12), hex(x'00ff'), quote('it''s'), quote(1.5), quote(x'0a'), quote(NULL);
SELECT char(72, 105), unicode('A'), unicode(''), zeroblob(3), typeof(zeroblob(3)), randomblob(0) IS NOT NULL;
SELECT printf('%d|%5d|%-5d|%05d', 42, 42, 42, 42), printf('%s and %s', 'a', 'b'), printf('%.2f', 3.14159), printf('%x %X %o', 255, 255, 8);
SELECT printf('%e', 12345.678), printf('%g', 0.0001), printf('%q', 'it''s'), printf('%c', 'xyz'), printf('%%');
SELECT format('%s=%d', 'a', 1), like('a%', 'abc'), glob('a*', 'abc');
SELECT round(1.23456, 3), round(-1.5), round(0.5), round(1e20), ceil(1.2), floor(-1.2), trunc(-1.7);
SELECT sqrt(16), pow(2, 10), exp(0), ln(1), log10(100), log(2, 8), pi() > 3.14, mod(7, 3), sign(-3), sign(0);
SELECT date('2024-02-28', '+1 day'), time('12:34:56'), datetime('2024-01-01 10:00:00', '+90 minutes'), julianday('2000-01-01');
SELECT strftime('%Y-%m-%d %H:%M:%S', '2021-03-04 05:06:07'), strftime('%j %w %s', '2021-03-04'), date('2024-01-31', '+1 month');
SELECT date('2024-13-01'), date('garbage'), unixepoch('1970-01-02');
SELECT total_changes() >= 0, sqlite_version() IS NOT NULL, last_insert_rowid();
SELECT soundex('Robert'), likely(1), unlikely(0), coalesce(NULL, 2);
SELECT substr(x'01020304', 2, 2), hex(substr(x'01020304', 2, 2)), length(CAST('abc' AS BLOB));
SELECT 'abc' COLLATE NOCASE = 'ABC', 'abc' = 'ABC', 'abc ' COLLATE RTRIM = 'abc', 'a' < 'B' COLLATE NOCASE;
SELECT json('{"a": 1}'), json_extract('{"a": [1, 2, 3]}', '$.a[1]'), json_array(1, 'x', NULL), json_object('k', 2.5), json_valid('{');
-- substr() reads text as a C string: it ends at a first NUL (gen.py seed 312).
SELECT quote(substr(CAST(x'00' AS TEXT), 0)), quote(substr(CAST(x'610062' AS TEXT), 1)), quote(substr(CAST(x'610062' AS TEXT), -1)), length(substr(CAST(x'61006263' AS TEXT), 1, 5)), quote(substr(x'610062', 2));
SELECT DISTINCT substr(CAST(x AS TEXT), 0) FROM (SELECT x'00' AS x UNION ALL SELECT x'');
