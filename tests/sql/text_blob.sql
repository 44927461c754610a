-- Text and blob edge cases: embedded NULs, invalid UTF-8 cast to text, long strings, unicode case, comparisons of text and blob.
SELECT length(CAST(x'610062' AS TEXT)), hex(CAST(x'610062' AS TEXT)), length(x'610062');
SELECT CAST(x'ff' AS TEXT), hex(CAST(x'ff' AS TEXT)), length(CAST(x'c3' AS TEXT));
SELECT length(printf('%.*c', 5000, 'x')), substr(printf('%.*c', 5000, 'x'), 4998);
SELECT upper('straße'), lower('ÀÉÎ'), 'é' = 'É', 'é' LIKE 'É', 'a' LIKE 'A';
SELECT x'61' = 'a', x'61' < 'a', 'a' < x'61', CAST('a' AS BLOB) = x'61';
SELECT unicode('€'), char(8364), length('€'), length(CAST('€' AS BLOB)), hex('€');
SELECT instr(x'0102030405', x'0304'), instr('abcabc', 'c'), substr('€uro', 1, 1), substr(x'e282ac', 1, 1);
SELECT replace('aaa', 'a', ''), replace('abc', '', 'x'), trim(x'0041'), quote(CAST(x'00' AS TEXT));
SELECT 'a' || x'62' || 1 || 2.5 || NULL;
SELECT typeof('a' || x'62'), typeof(x'62' || x'63'), x'62' || x'63';
SELECT zeroblob(4) = x'00000000', length(zeroblob(10)), hex(zeroblob(2));
SELECT '  12  ' + 1, '0x10' + 1, '1e2' + 1, '.5' + 1, '5.' + 1, '-' + 1, '' + 1;
