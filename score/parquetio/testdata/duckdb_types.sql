-- The Parquet cross-check fixture (duckdb_types.parquet): 1000 rows of
-- every type candor reads, with nulls, written by DuckDB's own Parquet
-- writer (an implementation independent of parquet-go), in row groups of
-- 100 rows with snappy pages. duckdb_types.csv holds what DuckDB reads back
-- from that file as text, NULL as an empty cell: numbers in DuckDB's
-- shortest round-trip form, timestamps as ISO 8601 without trailing zeros.
-- integrations/sqltest's TestParquetFixture runs this script (PARQUET and
-- CSV replaced by output paths), checks candor's reader against a fresh
-- pair, and with CANDOR_WRITE_FIXTURES=1 rewrites both files here.
CREATE OR REPLACE TABLE fixture AS
SELECT
  i AS id,
  CASE WHEN i % 10 = 3 THEN NULL ELSE CAST(i * 1.25 + 0.1 AS DOUBLE) / 3 END AS amount,
  CAST(i / 7.0 AS FLOAT) AS rate,
  CAST(i * 37 - 5000 AS INTEGER) AS count,
  CAST(i AS BIGINT) * 9007199254741 AS big,
  CAST(18446744073709551615 - i AS UBIGINT) AS unsigned,
  CAST((i * 12345) % 1000000 / 100.0 AS DECIMAL(9, 2)) AS price,
  CASE WHEN i % 9 = 4 THEN NULL ELSE CAST((i - 500) * 7 / 1000.0 AS DECIMAL(18, 3)) END AS balance,
  CAST(CAST(i - 500 AS VARCHAR) || '123456789012345678901234.56' AS DECIMAL(38, 2)) AS huge,
  CASE WHEN i % 13 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
  CASE WHEN i % 17 = 0 THEN NULL ELSE ['car (new)', 'radio/tv', 'education', 'repairs', ' spaced '][i % 5 + 1] END AS purpose,
  DATE '2000-01-01' + CAST(i AS INTEGER) AS day,
  TIMESTAMP '2020-01-01 00:00:00' + i * INTERVAL '1 hour 1 second 1 millisecond' AS seen
FROM range(1000) AS t(i)
ORDER BY i;
COPY fixture TO 'PARQUET' (FORMAT parquet, ROW_GROUP_SIZE 100, COMPRESSION snappy);
COPY (
  SELECT id, amount, rate, count, big, unsigned, price, balance, huge, flag, purpose, day,
    regexp_replace(regexp_replace(strftime(seen, '%Y-%m-%dT%H:%M:%S.%f'), '0+$', ''), '\.$', '') AS seen
  FROM read_parquet('PARQUET')
) TO 'CSV' (HEADER, NULLSTR '');
