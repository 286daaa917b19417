WITH RECURSIVE
  input(rest) AS (SELECT replace(replace(CAST(readfile('/dev/stdin') AS TEXT), char(10), ' '), char(9), ' ') || ' '),
  words(word, rest) AS (
    SELECT '', (SELECT rest FROM input)
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM words WHERE rest <> ''
  )
SELECT sum(CAST(word AS INTEGER)) FROM words WHERE word <> '';
